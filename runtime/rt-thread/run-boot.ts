import type { Scenario } from '../../drivers/sim/scenario/schema.ts'
import type { ActuatorChange } from '../actuators.ts'
import type { AlarmEvent } from '../alarms/engine.ts'
import { boot, type Runtime } from '../boot.ts'
import { wallNow, type Clock } from '../clock.ts'
import type { LoadedConfig } from '../config/load.ts'
import { Recorder } from '../readings/recorder.ts'
import type { Recording } from '../readings/replay.ts'
import { TelemetryTap, type TapEntry } from '../telemetry/tap.ts'
import { toWireEvent, type RecorderStats, type WireEvent } from './protocol.ts'

/** What `edgert run` boots with, whichever thread runs it. */
export interface RunInputs {
  readonly config: LoadedConfig
  readonly record: string | null
  readonly replay: Recording | null
  readonly scenario: Scenario | null
  readonly alarmStateFile: string | null
  /** Collect readings for telemetry (TelemetryTap). */
  readonly telemetry: boolean
  /**
   * Safe mode (the crash-loop guard, service/start-history.ts): the board is opened and every
   * output driven to its safe level, but no task is started. Absent: false.
   */
  readonly safeMode?: boolean
}

/** Where the runtime's news goes: over the thread boundary, or straight to the CLI. */
export interface RunHooks {
  readonly event: (event: WireEvent) => void
  readonly alarm: (event: AlarmEvent, wallMs: number) => void
  readonly actuator: (change: ActuatorChange, wallMs: number) => void
  readonly notice: (message: string) => void
  readonly readings: (entries: TapEntry[]) => void
}

export interface BootedRun {
  readonly runtime: Runtime
  start(): void
  /** Stops the runtime, then the recorder and the telemetry tap (which hands over its last readings). */
  stop(): Promise<RecorderStats | null>
}

/**
 * Boots a run (the composition root's caller for the CLI): the recorder, the telemetry tap,
 * alarm persistence with the wall clock, and the hooks that report what happens. Shared by the
 * rt thread (rt-thread/worker.ts) and `--thread main` (cli/main-thread-runtime.ts).
 */
export async function bootRun(inputs: RunInputs, clock: Clock, hooks: RunHooks): Promise<BootedRun> {
  const { config } = inputs
  const toWallMs = (atMs: number): number => wallNow() - clock.now() + atMs
  const recorder = inputs.record === null ? undefined : new Recorder(inputs.record, { board: config.board.id, tasks: config.tasksFile, startMs: clock.now() })
  const tap = inputs.telemetry ? new TelemetryTap(clock, wallNow, hooks.readings) : undefined
  let runtime: Runtime
  try {
    runtime = await boot(config, {
      clock,
      onEvent: event => hooks.event(toWireEvent(event)),
      onSafeState: (taskId, reason) => hooks.event({ type: 'safe-state', taskId, atMs: clock.now(), reason }),
      ...(recorder === undefined ? {} : { onReading: (taskId, device, reading) => recorder.record(taskId, device, reading) }),
      ...(tap === undefined ? {} : { onReported: (taskId, reading, values) => tap.add(taskId, reading, values) }),
      ...(inputs.replay === null ? {} : { replay: inputs.replay }),
      ...(inputs.scenario === null ? {} : { scenario: inputs.scenario }),
      onAlarm: event => hooks.alarm(event, toWallMs(event.atMs)),
      onActuator: change => hooks.actuator(change, toWallMs(change.atMs)),
      onNotice: hooks.notice,
      ...(inputs.alarmStateFile === null ? {} : { alarmState: { file: inputs.alarmStateFile, wallNow } }),
    })
  } catch (error) {
    await recorder?.close()
    throw error
  }
  return {
    runtime,
    start: () => {
      if (inputs.safeMode === true) {
        runtime.actuators.toSafe('safe-state', 'safe-mode').catch((error: unknown) => hooks.notice(`safe mode: an output could not be driven to its safe level: ${error instanceof Error ? error.message : String(error)}`))
        return
      }
      runtime.start()
      tap?.start()
    },
    stop: async () => {
      await runtime.stop()
      await tap?.stop()
      if (recorder === undefined) return null
      await recorder.close()
      return { written: recorder.written, dropped: recorder.dropped, failure: recorder.failure?.message ?? null }
    },
  }
}
