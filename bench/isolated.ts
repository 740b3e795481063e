import { siblingModuleUrl, startModuleWorker } from '../runtime/executive/module-worker.ts'
import type { IsolatedJob } from './isolated-worker.ts'

/**
 * Runs `exportName(...args)` of the bench module at `module` (a sibling of the caller, see
 * `benchModule`) in a worker thread of its own, and resolves with what it returns (structured
 * clone). The worker's isolate has its own heap, GC and JIT: a micro-benchmark's inline caches
 * and optimised code do not depend on what ran before it in the process (the same TaskPipeline
 * code fed by the sim drivers' readings in another benchmark runs polymorphic and ~2x slower),
 * and process.memoryUsage().heapUsed and v8.GCProfiler count that isolate only. `gc` is there
 * too when node runs with --expose-gc.
 */
export function runIsolated<T>(module: URL, exportName: string, args: readonly unknown[]): Promise<T> {
  const job: IsolatedJob = { module: module.href, exportName, args }
  const worker = startModuleWorker(siblingModuleUrl(import.meta.url, 'isolated-worker'), { workerData: job })
  return new Promise<T>((resolve, reject) => {
    let replied = false
    worker.once('message', (result: T) => {
      replied = true
      // The next benchmark starts once this worker is gone, not while it is being torn down.
      worker.terminate().then(() => resolve(result), reject)
    })
    worker.once('error', reject)
    worker.once('exit', code => {
      if (!replied) reject(new Error(`bench worker ${module.pathname} ${exportName}() exited with code ${code} before replying`))
    })
  })
}

/** The URL of a bench module next to `importMetaUrl`, with the caller's extension (.ts under tsx). */
export function benchModule(importMetaUrl: string, basename: string): URL {
  return siblingModuleUrl(importMetaUrl, basename)
}
