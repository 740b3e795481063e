import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { once } from 'node:events'
import { describe, it } from 'node:test'
import { siblingModuleUrl, startModuleWorker } from '../../../runtime/executive/module-worker.ts'

const onoffInstalled = ((): boolean => {
  try {
    createRequire(import.meta.url).resolve('onoff')
    return true
  } catch {
    return false
  }
})()

/** Loads onoff in a fresh worker thread and resolves with what it saw, once the worker has ended. */
async function loadInWorker(): Promise<unknown> {
  const worker = startModuleWorker(siblingModuleUrl(import.meta.url, 'load-onoff-worker'))
  const [message] = (await once(worker, 'message')) as [unknown]
  const [code] = (await once(worker, 'exit')) as [number]
  assert.equal(code, 0)
  return message
}

describe('loadOnoff', { skip: onoffInstalled || process.env.CI === 'true' ? false : 'onoff is not installed: npm install --no-save onoff@^6.0.3 (an optionalDependency)' }, () => {
  it('loads onoff in one worker thread after another, and the process outlives both', async () => {
    // With onoff's real epoll addon the process would segfault when the first worker ended
    // (shared/reference/dependencies.md §1); this file's own process is what would crash.
    for (let i = 0; i < 2; i++) assert.deepEqual(await loadInWorker(), { gpio: 'function', accessible: false })
  })
})
