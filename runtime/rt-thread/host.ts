import type { Worker } from 'node:worker_threads'
import type { LoadedConfig } from '../config/load.ts'
import type { PreciseClockStatus } from '../executive/precise-clock.ts'
import { createDoorbell, ringDoorbell } from '../executive/inline-wait.ts'
import { siblingModuleUrl, startModuleWorker } from '../executive/module-worker.ts'
import type { TaskMetricsSnapshot } from '../scheduler/task-metrics.ts'
import type { Recording } from '../readings/replay.ts'
import type { Scenario } from '../../drivers/sim/scenario/schema.ts'
import type { FromRtThread, ReadingsSnapshot, RecorderStats, RtThreadData, ToRtThread, WireEvent } from './protocol.ts'

/** What a running runtime reports: per-task scheduler figures and the newest reading of each sample task. */
export interface RunStatus {
  readonly metrics: TaskMetricsSnapshot[]
  readonly readings: ReadingsSnapshot
}

/** A runtime running in the rt thread, seen from the main thread. */
export interface RtThread {
  readonly clockStatus: PreciseClockStatus | null
  /** SCHED_FIFO of the scheduler's own thread: 'set', 'off' (not asked, or on the main thread), or why it was refused. */
  readonly threadRealtime: string
  metrics(): Promise<RunStatus>
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
  readonly onEvent: (event: WireEvent) => void
}

const WORKER_URL = siblingModuleUrl(import.meta.url, 'worker')

/**
 * Starts the rt thread with a config that is already loaded and admitted, and resolves once its
 * scheduler runs. Rejects with the thread's message if it cannot start (e.g. the timer thread or
 * the hardware fails to open). If the thread dies later, pending and later calls reject.
 */
export function startRtThread(options: RtThreadOptions): Promise<RtThread> {
  const doorbell = createDoorbell()
  const data: RtThreadData = { config: options.config, clock: options.clock, rtPriority: options.rtPriority ?? null, doorbell, record: options.record ?? null, replay: options.replay ?? null, scenario: options.scenario ?? null }
  const worker = startModuleWorker(WORKER_URL, { workerData: data })
  return new Promise((resolve, reject) => {
    const pending = new Map<number, { resolve: (m: RunStatus) => void; reject: (e: Error) => void }>()
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
        case 'metrics':
          pending.get(message.requestId)?.resolve({ metrics: message.metrics, readings: message.readings })
          pending.delete(message.requestId)
          break
        case 'stopped':
          stopped?.({ metrics: message.metrics, readings: message.readings, recorded: message.recorded, scenario: message.scenario })
          break
      }
    })
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
      metrics: () => {
        const reason = gone()
        return reason !== undefined
          ? Promise.reject(reason)
          : new Promise((resolveMetrics, rejectMetrics) => {
              const requestId = nextRequest++
              pending.set(requestId, { resolve: resolveMetrics, reject: rejectMetrics })
              post({ type: 'metrics', requestId })
            })
      },
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
