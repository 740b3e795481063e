import type { Worker } from 'node:worker_threads'
import type { LoadedConfig } from '../config/load.ts'
import type { PreciseClockStatus } from '../executive/precise-clock.ts'
import { siblingModuleUrl, startModuleWorker } from '../executive/module-worker.ts'
import type { TaskMetricsSnapshot } from '../scheduler/task-metrics.ts'
import type { FromRtThread, RtThreadData, ToRtThread, WireEvent } from './protocol.ts'

/** A runtime running in the rt thread, seen from the main thread. */
export interface RtThread {
  readonly clockStatus: PreciseClockStatus | null
  metrics(): Promise<TaskMetricsSnapshot[]>
  /** Stops the scheduler (running jobs are aborted), releases the hardware, ends the thread; resolves with the final figures. */
  stop(): Promise<TaskMetricsSnapshot[]>
}

const WORKER_URL = siblingModuleUrl(import.meta.url, 'worker')

/**
 * Starts the rt thread with a config that is already loaded and admitted, and resolves once its
 * scheduler runs. Rejects with the thread's message if it cannot start (e.g. the timer thread or
 * the hardware fails to open). If the thread dies later, pending and later calls reject.
 */
export function startRtThread(options: { config: LoadedConfig; clock: 'precise' | 'system'; rtPriority?: number; onEvent: (event: WireEvent) => void }): Promise<RtThread> {
  const data: RtThreadData = { config: options.config, clock: options.clock, rtPriority: options.rtPriority ?? null }
  const worker = startModuleWorker(WORKER_URL, { workerData: data })
  return new Promise((resolve, reject) => {
    const pending = new Map<number, { resolve: (m: TaskMetricsSnapshot[]) => void; reject: (e: Error) => void }>()
    let nextRequest = 0
    let stopped: ((metrics: TaskMetricsSnapshot[]) => void) | undefined
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
          resolve(host(worker, message.clockStatus))
          break
        case 'failed':
          fail(new Error(message.message))
          break
        case 'event':
          options.onEvent(message.event)
          break
        case 'metrics':
          pending.get(message.requestId)?.resolve(message.metrics)
          pending.delete(message.requestId)
          break
        case 'stopped':
          stopped?.(message.metrics)
          break
      }
    })
    const post = (message: ToRtThread): void => worker.postMessage(message)
    /** Why a call cannot be answered any more: the thread failed, or stop() has been called. */
    const gone = (): Error | undefined => failure ?? (stopping ? new Error('the rt thread has stopped') : undefined)
    let stopping = false
    const host = (thread: Worker, clockStatus: PreciseClockStatus | null): RtThread => ({
      clockStatus,
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
