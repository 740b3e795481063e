import type { LoadedConfig } from '../config/load.ts'
import type { PreciseClockStatus } from '../executive/precise-clock.ts'
import type { SchedulerEvent } from '../scheduler/scheduler.ts'
import type { TaskMetricsSnapshot } from '../scheduler/task-metrics.ts'
import type { LatestReadings } from '../readings/latest.ts'
import type { Recording } from '../readings/replay.ts'
import type { Scenario } from '../../drivers/sim/scenario/schema.ts'
import type { Level } from '../../drivers/hal/gpio.ts'
import type { ActuatorChange } from '../actuators.ts'
import type { AlarmEvent, AlarmStatus, CommandReply } from '../alarms/engine.ts'
import type { RuntimeCommand } from './runtime-command.ts'
import type { TapEntry } from '../telemetry/tap.ts'

/** The newest reading of each sample task, as it crosses threads. */
export type ReadingsSnapshot = ReturnType<LatestReadings['snapshot']>

/** What the rt thread is started with (structured-cloned: plain data only). */
export interface RtThreadData {
  /** Already validated, bound and admitted on the main thread. */
  readonly config: LoadedConfig
  readonly clock: 'precise' | 'system'
  readonly rtPriority: number | null
  /**
   * Rung by the main thread after each message it posts (executive/inline-wait.ts): the rt
   * thread's clock may be waiting inline, with its event loop stopped, and ends that wait.
   */
  readonly doorbell: Int32Array
  /** `--record FILE`: where the rt thread writes every reading as NDJSON. */
  readonly record: string | null
  /** `--replay FILE`, already read and checked on the main thread. */
  readonly replay: Recording | null
  /** `--scenario FILE`, already read and checked on the main thread. */
  readonly scenario: Scenario | null
  /** Start in safe mode: outputs safe, no tasks (run-boot.ts). */
  readonly safeMode: boolean
  /** Where alarm states persist (`--data-dir`), or null. */
  readonly alarmStateFile: string | null
  /**
   * The exit path (exit-safety.ts): after an 'emergency' message the rt thread drives every
   * output to its safe level synchronously and stores 1 here (2: some output failed); the main
   * thread waits on it in Atomics.wait before the process ends.
   */
  readonly emergencyAck: Int32Array
  /** Hand readings over for telemetry (runtime/telemetry/tap.ts). */
  readonly telemetry: boolean
}

/** What the rt thread reports on request and at the end, besides the scheduler figures. */
export interface StatusFields {
  readonly metrics: TaskMetricsSnapshot[]
  /** Tasks an operator's command paused (absent: none). */
  readonly paused?: string[]
  readonly readings: ReadingsSnapshot
  readonly alarms: AlarmStatus[]
  readonly outputs: Record<string, Level>
}

/** What `--record` wrote, reported at the end of a run. */
export interface RecorderStats {
  readonly written: number
  readonly dropped: number
  readonly failure: string | null
}

/** A scheduler event as it crosses threads: the error becomes its name, kind and message. */
export type WireEvent =
  | { readonly type: 'task-failed'; readonly taskId: string; readonly atMs: number; readonly kind: string; readonly message: string }
  | { readonly type: 'deadline-missed'; readonly taskId: string; readonly atMs: number; readonly releaseMs: number; readonly deadlineMs: number }
  | { readonly type: 'budget-overrun'; readonly taskId: string; readonly atMs: number; readonly executionMs: number; readonly budgetMs: number }
  | { readonly type: 'safe-state'; readonly taskId: string; readonly atMs: number; readonly reason: string }

export type ToRtThread =
  | { readonly type: 'metrics'; readonly requestId: number }
  | { readonly type: 'command'; readonly requestId: number; readonly command: RuntimeCommand }
  | { readonly type: 'emergency' }
  | { readonly type: 'stop' }

export type FromRtThread =
  | { readonly type: 'ready'; readonly clockStatus: PreciseClockStatus | null; readonly threadRealtime: string }
  | { readonly type: 'event'; readonly event: WireEvent }
  | { readonly type: 'alarm'; readonly event: AlarmEvent; readonly wallMs: number }
  | { readonly type: 'actuator'; readonly change: ActuatorChange; readonly wallMs: number }
  | { readonly type: 'readings'; readonly entries: TapEntry[] }
  | { readonly type: 'notice'; readonly message: string }
  | ({ readonly type: 'metrics'; readonly requestId: number } & StatusFields)
  | { readonly type: 'command-result'; readonly requestId: number; readonly reply: CommandReply }
  | ({ readonly type: 'stopped'; readonly recorded: RecorderStats | null; readonly scenario: unknown } & StatusFields)
  | { readonly type: 'failed'; readonly message: string }

/** The wire form of a scheduler event (errors do not survive structured cloning as themselves). */
export function toWireEvent(event: SchedulerEvent): WireEvent {
  if (event.type !== 'task-failed') return event
  const { error, ...rest } = event
  return { ...rest, message: error instanceof Error ? error.message : String(error) }
}
