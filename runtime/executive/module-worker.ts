import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * The URL of a sibling module of `importMetaUrl`, with the caller's own extension: `.ts` when
 * the code runs from source under tsx, `.js` when it runs from dist/.
 */
export function siblingModuleUrl(importMetaUrl: string, basename: string): URL {
  return new URL(`./${basename}${extname(fileURLToPath(importMetaUrl))}`, importMetaUrl)
}

/**
 * Starts a worker thread running the ES module at `moduleUrl`.
 *
 * A `.js` module is started directly. A `.ts` module (source run under `node --import tsx`) needs
 * tsx inside the worker too, and on Node 20 it is not there: the worker inherits `--import tsx`
 * in its execArgv, but hooks registered with module.register() do not reach worker threads
 * (tsx#354, nodejs/node#47747), so loading fails with ERR_UNKNOWN_FILE_EXTENSION. For `.ts` the
 * worker therefore starts from a two-line bootstrap that registers tsx's ESM hooks in the worker
 * and then imports the module. tsx is a devDependency: this branch is never taken from dist/.
 */
export function startModuleWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, options)
  let tsxApi: string
  try {
    tsxApi = import.meta.resolve('tsx/esm/api')
  } catch {
    // No tsx to be found: leave it to the runtime (e.g. a Node with native type stripping).
    return new Worker(moduleUrl, options)
  }
  const bootstrap =
    `import(${JSON.stringify(tsxApi)})` +
    `.then(tsx => { tsx.register(); return import(${JSON.stringify(moduleUrl.href)}) })`
  return new Worker(bootstrap, { ...options, eval: true })
}
