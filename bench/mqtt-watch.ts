import type { Worker } from 'node:worker_threads'
import { siblingModuleUrl, startModuleWorker } from '../runtime/executive/module-worker.ts'

/** What the watching subscriber (mqtt-watch-worker.ts) is started with. */
export interface WatchData {
  readonly url: string
  /** The topic prefix: it subscribes to `<prefix>/+/telemetry/+` and `<prefix>/+/alarms/+/events`. */
  readonly prefix: string
}

/** One alarm event as the subscriber received it. */
export interface WatchedEvent {
  readonly deviceId: string
  readonly seq: number
  /** The event's own wall time `t` (epoch ms), as published. */
  readonly t: number
  /** process.hrtime.bigint() at receipt, in ms: comparable with any thread's performance.now() plus its origin (runtime/executive/time-origin.ts). */
  readonly receivedMonoMs: number
  /** performance.timeOrigin + performance.now() at receipt: what a remote subscriber compares `t` with. */
  readonly receivedWallMs: number
}

/** Everything received so far: telemetry readings and batches per device id, alarm events in order. */
export interface WatchReport {
  readonly readings: Readonly<Record<string, number>>
  readonly batches: Readonly<Record<string, number>>
  readonly events: readonly WatchedEvent[]
}

export type ToWatch = { readonly type: 'report'; readonly requestId: number } | { readonly type: 'close' }
export type FromWatch =
  | { readonly type: 'ready' }
  | { readonly type: 'report'; readonly requestId: number; readonly report: WatchReport }
  | { readonly type: 'failed'; readonly message: string }

const CLOSE_WAIT_MS = 1_000

/**
 * A subscriber on the broker in a worker thread of its own: it stands for another device on the
 * network, with its own event loop, and stamps what it receives on the process-wide clock.
 */
export class MqttWatch {
  readonly #worker: Worker
  readonly #pending = new Map<number, (report: WatchReport) => void>()
  #nextRequest = 0
  #failure: Error | undefined

  private constructor(worker: Worker) {
    this.#worker = worker
  }

  /** Resolves once the subscriptions are acknowledged (SUBACK). */
  static start(data: WatchData): Promise<MqttWatch> {
    const worker = startModuleWorker(siblingModuleUrl(import.meta.url, 'mqtt-watch-worker'), { workerData: data })
    const watch = new MqttWatch(worker)
    return new Promise((resolve, reject) => {
      worker.on('message', (message: FromWatch) => {
        if (message.type === 'ready') resolve(watch)
        else if (message.type === 'failed') {
          watch.#failure ??= new Error(`bench subscriber: ${message.message}`)
          reject(watch.#failure)
        } else {
          watch.#pending.get(message.requestId)?.(message.report)
          watch.#pending.delete(message.requestId)
        }
      })
      worker.once('error', error => {
        watch.#failure ??= error
        reject(error)
      })
    })
  }

  report(): Promise<WatchReport> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure)
    const requestId = this.#nextRequest++
    return new Promise(resolve => {
      this.#pending.set(requestId, resolve)
      this.#worker.postMessage({ type: 'report', requestId } satisfies ToWatch)
    })
  }

  /** Polls until `deviceId`'s readings reach `count`, or `timeoutMs` passed; resolves with the last report either way. */
  async waitForReadings(deviceId: string, count: number, timeoutMs: number): Promise<WatchReport> {
    const untilMs = performance.now() + timeoutMs
    for (;;) {
      const report = await this.report()
      if ((report.readings[deviceId] ?? 0) >= count || performance.now() >= untilMs) return report
      await new Promise(resolve => setTimeout(resolve, 10))
    }
  }

  async close(): Promise<void> {
    const exited = new Promise<void>(resolve => this.#worker.once('exit', () => resolve()))
    this.#worker.postMessage({ type: 'close' } satisfies ToWatch)
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<boolean>(resolve => (timer = setTimeout(() => resolve(true), CLOSE_WAIT_MS)))
    if (await Promise.race([exited.then(() => false), late])) await this.#worker.terminate()
    clearTimeout(timer)
  }
}
