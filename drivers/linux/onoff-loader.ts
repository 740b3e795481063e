import { createRequire, Module } from 'node:module'
import { isMainThread } from 'node:worker_threads'
import { HalError } from '../hal/errors.ts'

export type Onoff = typeof import('onoff')

const require = createRequire(import.meta.url)

/**
 * What onoff gets instead of its `epoll` addon. The addon cannot serve a worker thread, which is
 * where the runtime opens its hardware (runtime/rt-thread/):
 * - it dispatches interrupts on uv_default_loop(), the main thread's loop, and calls the worker's
 *   callback from there: V8 aborts the process on the first edge ("HandleScope::HandleScope
 *   Entering the V8 API without proper locking in place"; seen in test/kernel's guest);
 * - its process-global state (one epoll fd, a watcher pthread, a uv_async on the main loop)
 *   outlives the worker that loaded it: the process segfaults when that worker ends (same guest;
 *   a second worker loading it crashes too: shared/reference/dependencies.md §1).
 * onoff creates an Epoll for every Gpio but only uses it in watch(), which the adapter never
 * calls: edges come from inotify on the value file instead (onoff-gpio.ts), so this is inert.
 */
class InertEpoll {
  static readonly EPOLLPRI = 2

  add(): never {
    throw new Error('edgert does not use onoff watch(): edges come from inotify (drivers/linux/onoff-gpio.ts)')
  }

  remove(): this {
    return this
  }

  close(): this {
    return this
  }
}

const INERT_EPOLL = { Epoll: InertEpoll }

/**
 * Loads onoff (an optionalDependency) with the inert epoll in its place, in any thread.
 *
 * Refused with HalError 'not-supported' when onoff is not installed, and when this worker thread
 * already holds onoff with its real addon (someone imported it before this loader ran): that
 * addon crashes the process once an edge arrives or the worker ends.
 */
export async function loadOnoff(): Promise<Onoff> {
  let epollPath: string
  try {
    epollPath = createRequire(require.resolve('onoff')).resolve('epoll')
  } catch (error) {
    throw new HalError('not-supported', 'onoff is not installed (npm install onoff; its epoll dependency builds with node-gyp)', { cause: error })
  }
  const cached = require.cache[epollPath]
  if (cached === undefined) {
    const standIn = new Module(epollPath)
    standIn.filename = epollPath
    standIn.loaded = true
    standIn.exports = INERT_EPOLL
    require.cache[epollPath] = standIn
  } else if (cached.exports !== INERT_EPOLL && !isMainThread) {
    throw new HalError('not-supported', 'onoff was loaded with its epoll addon in this worker thread before edgert\'s loader ran; that addon crashes the process from a worker (drivers/linux/onoff-loader.ts). Load onoff only through openOnoffGpio().')
  }
  try {
    return await import('onoff')
  } catch (error) {
    throw new HalError('not-supported', `onoff did not load: ${String(error)}`, { cause: error })
  }
}
