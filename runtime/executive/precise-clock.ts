import type { Worker } from 'node:worker_threads'
import type { Clock } from '../clock.ts'
import { siblingModuleUrl, startModuleWorker } from './module-worker.ts'
import { PendingSleep, type SleepCanceller } from './pending-sleep.ts'
import { SleepQueue } from './sleep-queue.ts'
import { setRealtimePriority, type TuningOutcome } from './thread-tuning.ts'
import { measureTimeOrigin } from './time-origin.ts'
import {
  FIRED,
  REQUEST,
  STOP,
  TIMER_CELLS_BYTES,
  timerCells,
  type TimerCells,
  type TimerThreadData,
  type TimerThreadReady,
} from './timer-protocol.ts'

export interface PreciseClockOptions {
  /**
   * Busy-wait the last `spinUs` µs before each wake-up on the timer thread instead of sleeping
   * through them: trades CPU for the kernel's wake-up latency. Default 0. docs/timing.md.
   */
  readonly spinUs?: number
  /** Set the timer thread's timer slack to 1 ns (default true). */
  readonly timerSlack?: boolean
  /** Make the timer thread SCHED_FIFO at this priority (1..99); null (default) leaves it alone. */
  readonly realtimePriority?: number | null
}

/** What the Linux tuning achieved. A refused knob makes the clock less precise, never broken. */
export interface PreciseClockStatus {
  /** Timer slack of 1 ns: 'set', 'off' (not asked), or the reason it was refused. */
  readonly timerSlack: TuningOutcome
  /** SCHED_FIFO: 'set', 'off' (not asked), or the reason it was refused (e.g. chrt's message). */
  readonly realtime: TuningOutcome
}

/**
 * A Clock whose wake-ups come from a dedicated timer thread (ARCHITECTURE.md decision 2).
 *
 * Contract, beyond Clock's (test/contract/clock.contract.ts):
 * - `now()` is this thread's performance.now(), in ms.
 * - Any number of sleeps may be pending. They resolve in deadline order (equal deadlines in call
 *   order), each only once `now()` has reached its deadline: the timer thread may wake the owner
 *   a little early (time-base conversion error, see time-origin.ts), but the owner checks its own
 *   clock and asks again.
 * - While no sleep is pending the timer thread does not keep the process alive.
 * - `close()` stops the thread; pending and later sleeps reject with an Error saying the clock is
 *   closed. If the thread dies, pending and later sleeps reject with an Error whose cause says why.
 * - Wake-ups are delivered through this thread's event loop, so they inherit its stalls (a long
 *   job, a GC pause). Run the clock in a dedicated worker when that matters (bench/jitter.ts).
 */
export interface PreciseClock extends Clock {
  readonly status: PreciseClockStatus
  close(): Promise<void>
}

/** The timer thread's module, .ts or .js like this one (module-worker.ts). */
const TIMER_THREAD_URL = siblingModuleUrl(import.meta.url, 'timer-thread')

/**
 * Starts a timer thread and resolves once it runs and is tuned as asked.
 * Throws RangeError for a negative spinUs or a priority outside 1..99.
 */
export async function openPreciseClock(options: PreciseClockOptions = {}): Promise<PreciseClock> {
  const spinUs = options.spinUs ?? 0
  const priority = options.realtimePriority ?? null
  if (!(spinUs >= 0 && spinUs < 1e6)) throw new RangeError(`spinUs must be in [0, 1e6), got ${spinUs}`)
  if (priority !== null && !(Number.isInteger(priority) && priority >= 1 && priority <= 99)) {
    throw new RangeError(`realtimePriority must be an integer in 1..99 or null, got ${priority}`)
  }
  const buffer = new SharedArrayBuffer(TIMER_CELLS_BYTES)
  const cells = timerCells(buffer)
  cells.target[0] = Number.POSITIVE_INFINITY
  const workerData: TimerThreadData = {
    buffer,
    ownerOriginNs: measureTimeOrigin().originNs,
    spinUs,
    timerSlack: options.timerSlack ?? true,
  }
  const worker = startModuleWorker(TIMER_THREAD_URL, { workerData })
  const ready = await readyMessage(worker)
  let realtime: TuningOutcome = 'off'
  if (priority !== null) realtime = typeof ready.tid === 'number' ? await setRealtimePriority(ready.tid, priority) : ready.tid
  return new ThreadedClock(worker, cells, { timerSlack: ready.timerSlack, realtime })
}

function readyMessage(worker: Worker): Promise<TimerThreadReady> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number): void => reject(new Error(`precise clock: timer thread exited with code ${code} before it was ready`))
    worker.once('error', reject)
    worker.once('exit', onExit)
    worker.once('message', (message: TimerThreadReady) => {
      worker.off('error', reject)
      worker.off('exit', onExit)
      resolve(message)
    })
  })
}

type WaitAsync = (
  typedArray: Int32Array,
  index: number,
  value: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> }
/** ES2024 Atomics.waitAsync (V8 >= 8.7, so every Node >= 16); tsconfig's lib stops at ES2023. */
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync

class ThreadedClock implements PreciseClock, SleepCanceller {
  readonly status: PreciseClockStatus
  readonly #worker: Worker
  readonly #int32: Int32Array
  readonly #target: Float64Array
  readonly #queue = new SleepQueue<PendingSleep>()
  /** REQUEST as this side last wrote it. */
  #request = 0
  /** The target the thread is working towards; +Infinity when it has nothing to do. */
  #requestedMs = Number.POSITIVE_INFINITY
  /** FIRED as this side last read it. */
  #served = 0
  /** A waitAsync on FIRED (or a queued dispatch) is outstanding. */
  #watching = false
  /** A #rearm microtask is queued. */
  #rearming = false
  #referenced = true
  /** Set once closed or failed: every pending and later sleep rejects with it. */
  #ended: Error | undefined
  readonly #onFired = (): void => {
    this.#watching = false
    this.#dispatch()
  }
  readonly #rearm = (): void => {
    this.#rearming = false
    if (this.#ended !== undefined) return
    this.#askForEarliest()
    if (this.#queue.size > 0) this.#watch()
    else this.#setReferenced(false)
  }

  constructor(worker: Worker, cells: TimerCells, status: PreciseClockStatus) {
    this.#worker = worker
    this.#int32 = cells.int32
    this.#target = cells.target
    this.status = status
    worker.on('error', error => this.#end(new Error('precise clock: the timer thread failed', { cause: error })))
    worker.on('exit', code => this.#end(new Error(`precise clock: the timer thread exited with code ${code}`)))
    this.#setReferenced(false)
  }

  now(): number {
    return performance.now()
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (Number.isNaN(ms)) throw new RangeError('sleep(ms): ms is NaN')
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error)
    if (this.#ended !== undefined) return Promise.reject(this.#ended)
    const atMs = performance.now() + Math.max(0, ms)
    return new Promise<void>((resolve, reject) => {
      this.#queue.insert(new PendingSleep(atMs, resolve, reject, signal, this))
      this.#askForEarliest()
      this.#setReferenced(true)
      this.#watch()
    })
  }

  /** Called by a pending sleep whose signal aborted. */
  cancel(sleep: PendingSleep): void {
    if (!this.#queue.remove(sleep)) return
    sleep.reject(sleep.abortReason)
    this.#askForEarliest()
    if (this.#queue.size === 0) this.#setReferenced(false)
  }

  async close(): Promise<void> {
    if (this.#ended === undefined) {
      Atomics.store(this.#int32, STOP, 1)
      this.#ask(Number.POSITIVE_INFINITY)
      this.#end(new Error('precise clock is closed'))
    }
    await this.#worker.terminate()
  }

  /** Points the timer thread at the earliest pending deadline (or at nothing), if it is not already. */
  #askForEarliest(): void {
    const targetMs = this.#queue.peek()?.atMs ?? Number.POSITIVE_INFINITY
    if (targetMs !== this.#requestedMs) this.#ask(targetMs)
  }

  /** Tells the timer thread a new target (owner time), or +Infinity for none. */
  #ask(targetMs: number): void {
    this.#requestedMs = targetMs
    this.#target[0] = targetMs
    this.#request = (Atomics.add(this.#int32, REQUEST, 1) + 1) | 0
    Atomics.notify(this.#int32, REQUEST)
  }

  /** Keeps one wait on FIRED outstanding while sleeps are pending. */
  #watch(): void {
    if (this.#watching) return
    this.#watching = true
    const result = waitAsync(this.#int32, FIRED, this.#served)
    if (result.async) void result.value.then(this.#onFired)
    else queueMicrotask(this.#onFired)
  }

  /**
   * The thread fired: resolves every sleep whose deadline THIS thread's clock has reached (a
   * fire that came a hair early resolves nothing and is simply asked for again), then re-arms.
   * Re-arming waits one microtask, so that a resolved sleeper that sleeps again at once (the
   * scheduler loop does) sets the next target itself and the thread is woken once, not twice.
   */
  #dispatch(): void {
    if (this.#ended !== undefined) return
    this.#served = Atomics.load(this.#int32, FIRED)
    // Having served our latest request, the thread waits for the next one.
    if (this.#served === this.#request) this.#requestedMs = Number.POSITIVE_INFINITY
    const nowMs = performance.now()
    for (let due = this.#queue.peek(); due !== undefined && due.atMs <= nowMs; due = this.#queue.peek()) {
      this.#queue.pop()
      due.resolve()
    }
    if (this.#rearming) return
    this.#rearming = true
    queueMicrotask(this.#rearm)
  }

  #end(reason: Error): void {
    if (this.#ended !== undefined) return
    this.#ended = reason
    // Settles our own outstanding waitAsync, so no promise is left waiting on a dead thread.
    Atomics.notify(this.#int32, FIRED)
    for (let sleep = this.#queue.pop(); sleep !== undefined; sleep = this.#queue.pop()) sleep.reject(reason)
    this.#setReferenced(false)
  }

  /** A pending sleep keeps the process alive, like a timer; an idle clock does not. */
  #setReferenced(referenced: boolean): void {
    if (referenced === this.#referenced) return
    this.#referenced = referenced
    if (referenced) this.#worker.ref()
    else this.#worker.unref()
  }
}
