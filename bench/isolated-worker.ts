/** The worker side of isolated.ts: imports one bench module, calls one of its exports, posts the result. */
import { parentPort, workerData } from 'node:worker_threads'

export interface IsolatedJob {
  /** URL of the module (file:). */
  readonly module: string
  readonly exportName: string
  readonly args: readonly unknown[]
}

const port = parentPort
if (port === null) throw new Error('bench/isolated-worker.ts must run in a worker thread')
const job = workerData as IsolatedJob
const loaded = (await import(job.module)) as Readonly<Record<string, unknown>>
const run = loaded[job.exportName]
if (typeof run !== 'function') throw new TypeError(`${job.module} has no exported function ${job.exportName}`)
port.postMessage(await (run as (...args: readonly unknown[]) => unknown)(...job.args))
