import type { Worker } from 'node:worker_threads'
import type { LoadedConfig } from '../config/load.ts'
import type { PreciseClockStatus } from '../executive/precise-clock.ts'
import { createDoorbell, ringDoorbell } from '../executive/inline-wait.ts'
import { siblingModuleUrl, startModuleWorker } from '../executive/module-worker.ts'
import type { Recording } from '../readings/replay.ts'
import type { Scenario } from '../../drivers/sim/scenario/schema.ts'
import type { ActuatorChange } from '../actuators.ts'
import type { AlarmEvent, CommandReply } from '../alarms/engine.ts'
import type { RuntimeCommand } from './runtime-command.ts'
import type { TapEntry } from '../telemetry/tap.ts'
import type { FromRtThread, RecorderStats, RtThreadData, StatusFields, ToRtThread, WireEvent } from './protocol.ts'

/** What a running runtime reports: per-task scheduler figures, the newest reading of each sample task, the alarms and the outputs. */
export type RunStatus = StatusFields

/** A runtime running in the rt thread, seen from the main thread. */
export interface RtThread {
  readonly clockStatus: PreciseClockStatus | null
  /** SCHED_FIFO of the scheduler's own thread: 'set', 'off' (not asked, or on the main thread), or why it was refused. */
  readonly threadRealtime: string
  metrics(): Promise<RunStatus>
  /** An operator's command: an alarm's acknowledge/reset/shelve/unshelve, a threshold, a task's pause/resume. */
  command(command: RuntimeCommand): Promise<CommandReply>
  /**
   * The exit path (an uncaught error on the main thread): asks the rt thread to drive every
   * output to its safe level and blocks until it has, or `timeoutMs` passed. True when done.
   */
  emergencySafe(timeoutMs: number): boolean
  /** Stops the scheduler (running jobs are aborted), releases the hardware, ends the thread; resolves with the final figures. */
  stop(): Promise<FinalStatus>
}

/** What a run ends with: its figures, what --record wrote, and the scenario's world report. */
export interface FinalStatus extends RunStatus {
  readonly recorded: RecorderStats | null
  /** The world model's report at the end (e.g. the vehicle's stopping distance), with --scenario. */
  readonly scenario: unknown
}

export interface RtThreadOptions {
  readonly config: LoadedConfig
  readonly clock: 'precise' | 'system'
  readonly rtPriority?: number
  /** `--record FILE` */
  readonly record?: string
  /** `--replay FILE`, already read */
  readonly replay?: Recording
  /** `--scenario FILE`, already read */
  readonly scenario?: Scenario
  /** `--data-dir`: the file alarm states persist in. */
  readonly alarmStateFile?: string
  /** Start in safe mode: outputs safe, no tasks (the crash-loop guard). */
  readonly safeMode?: boolean
  readonly onEvent: (event: WireEvent) => void
  /** Every alarm transition, with its wall-clock time (epoch ms). */
  readonly onAlarm?: (event: AlarmEvent, wallMs: number) => void
  readonly onActuator?: (change: ActuatorChange, wallMs: number) => void
  readonly onNotice?: (message: string) => void
  /** Readings for telemetry, handed over every TAP_FLUSH_MS; given, the rt thread collects them. */
  readonly onReadings?: (entries: TapEntry[]) => void
}

const WORKER_URL = siblingModuleUrl(import.meta.url, 'worker')

/** The rt thread's young generation; with the timer thread's 1 MB this took ~18 MB off the braking demo's RSS (134 → 116 MB). */
const RT_YOUNG_GENERATION_MB = 4

/**
 * Starts the rt thread with a config that is already loaded and admitted, and resolves once its
 * scheduler runs. Rejects with the thread's message if it cannot start (e.g. the timer thread or
 * the hardware fails to open). If the thread dies later, pending and later calls reject.
 */
export function startRtThread(options: RtThreadOptions): Promise<RtThread> {
  const doorbell = createDoorbell()
  const emergencyAck = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT))
  const data: RtThreadData = {
    emergencyAck, config: options.config, clock: options.clock, rtPriority: options.rtPriority ?? null, doorbell, record: options.record ?? null, replay: options.replay ?? null, scenario: options.scenario ?? null, alarmStateFile: options.alarmStateFile ?? null, safeMode: options.safeMode === true, telemetry: options.onReadings !== undefined }
  // A small young generation: the rt thread allocates little per job (docs/timing.md), so V8's
  // default (tens of MB per isolate) only costs resident memory, and smaller scavenges are shorter.
  const worker = startModuleWorker(WORKER_URL, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: RT_YOUNG_GENERATION_MB } })
  return new Promise((resolve, reject) => {
    const pending = new Map<number, { resolve: (answer: never) => void; reject: (e: Error) => void }>()
    let nextRequest = 0
    let stopped: ((final: FinalStatus) => void) | undefined
    let ended = false
    let failure: Error | undefined
    const fail = (error: Error): void => {
      failure ??= error
      reject(error)
      for (const request of pending.values()) request.reject(error)
      pending.clear()
    }
    worker.on('error', error => fail(new Error(`the rt thread failed: ${error.message}`, { cause: error })))
    worker.on('exit', code => {
      if (!ended) fail(new Error(`the rt thread exited unexpectedly (code ${code})`))
    })
    worker.on('message', (message: FromRtThread) => {
      switch (message.type) {
        case 'ready':
          resolve(host(worker, message.clockStatus, message.threadRealtime))
          break
        case 'failed':
          fail(new Error(message.message))
          break
        case 'event':
          options.onEvent(message.event)
          break
        case 'alarm':
          options.onAlarm?.(message.event, message.wallMs)
          break
        case 'actuator':
          options.onActuator?.(message.change, message.wallMs)
          break
        case 'readings':
          options.onReadings?.(message.entries)
          break
        case 'notice':
          options.onNotice?.(message.message)
          break
        case 'metrics': {
          const { type: _type, requestId, ...status } = message
          answer(requestId, status)
          break
        }
        case 'command-result':
          answer(message.requestId, message.reply)
          break
        case 'stopped': {
          const { type: _type, ...final } = message
          stopped?.(final)
          break
        }
      }
    })
    const answer = (requestId: number, value: unknown): void => {
      pending.get(requestId)?.resolve(value as never)
      pending.delete(requestId)
    }
    const request = <T>(message: (requestId: number) => ToRtThread): Promise<T> => {
      const reason = gone()
      if (reason !== undefined) return Promise.reject(reason)
      return new Promise<T>((resolveRequest, rejectRequest) => {
        const requestId = nextRequest++
        pending.set(requestId, { resolve: resolveRequest, reject: rejectRequest })
        post(message(requestId))
      })
    }
    const post = (message: ToRtThread): void => {
      worker.postMessage(message)
      ringDoorbell(doorbell) // after the post: the rt thread's wait ends with the message already there
    }
    /** Why a call cannot be answered any more: the thread failed, or stop() has been called. */
    const gone = (): Error | undefined => failure ?? (stopping ? new Error('the rt thread has stopped') : undefined)
    let stopping = false
    const host = (thread: Worker, clockStatus: PreciseClockStatus | null, threadRealtime: string): RtThread => ({
      clockStatus,
      threadRealtime,
      emergencySafe: timeoutMs => {
        if (failure !== undefined || ended) return false
        post({ type: 'emergency' })
        Atomics.wait(emergencyAck, 0, 0, timeoutMs)
        return Atomics.load(emergencyAck, 0) === 1
      },
      metrics: () => request<RunStatus>(requestId => ({ type: 'metrics', requestId })),
      command: command => request<CommandReply>(requestId => ({ type: 'command', requestId, command })),
      stop: () => {
        const reason = gone()
        return reason !== undefined
          ? Promise.reject(reason)
          : new Promise(resolveStop => {
              stopping = true
              stopped = metrics => {
                ended = true
                resolveStop(metrics)
                void thread.terminate() // it ends by itself; this covers a handle left open
              }
              post({ type: 'stop' })
            })
      },
    })
  })
}
