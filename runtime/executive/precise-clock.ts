import type { Worker } from 'node:worker_threads'
import type { Clock } from '../clock.ts'
import { createDoorbell } from './inline-wait.ts'
import { siblingModuleUrl, startModuleWorker } from './module-worker.ts'
import { ThreadedClock, type InlinePlan } from './threaded-clock.ts'
import { currentThreadId, setRealtimePriority, setTimerSlack, type TuningOutcome } from './thread-tuning.ts'
import { measureTimeOrigin } from './time-origin.ts'
import { TIMER_CELLS_BYTES, timerCells, type TimerThreadData, type TimerThreadReady } from './timer-protocol.ts'

export interface PreciseClockOptions {
  /**
   * Busy-wait the last `spinUs` µs before each wake-up instead of sleeping through them, on the
   * thread that waits last (the owner with inline waits, else the timer thread): trades CPU for
   * the kernel's wake-up latency. Default 0. docs/timing.md.
   */
  readonly spinUs?: number
  /** Set the timer slack of the threads that wait to 1 ns (default true). */
  readonly timerSlack?: boolean
  /**
   * Make the threads that wait SCHED_FIFO at this priority (1..99): the timer thread, and with
   * inline waits the calling thread too. null (default) leaves them alone.
   */
  readonly realtimePriority?: number | null
  /**
   * Inline waits: a deadline at most this many ms away is waited for by the calling thread
   * itself, in Atomics.wait, with its event loop stopped meanwhile (inline-wait.ts). 0 (default)
   * never blocks the caller: every wake-up comes from the timer thread through the event loop.
   * Meant for a thread that runs the scheduler and little else (the rt thread); with it, its
   * timer slack (and realtimePriority) is set too.
   */
  readonly inlineWaitMs?: number
  /**
   * With inline waits, for a deadline farther than inlineWaitMs: the timer thread wakes the
   * caller this many ms before it, and the rest is waited inline. Default min(inlineWaitMs, 0.5).
   */
  readonly inlineLeadMs?: number
  /**
   * Rung (ringDoorbell) by other threads after they post a message to this one: ends an inline
   * wait at once so the message is handled. Default: a private one (nobody else can ring it).
   */
  readonly doorbell?: Int32Array
  /**
   * Asked right before each inline wait; false waits through the event loop instead, e.g. while
   * a job is awaiting I/O whose completion would otherwise wait for the deadline. Default: yes.
   */
  readonly canWaitInline?: () => boolean
}

/** What the Linux tuning achieved. A refused knob makes the clock less precise, never broken. */
export interface PreciseClockStatus {
  /** Timer slack of 1 ns on every thread that waits: 'set', 'off' (not asked), or why it was refused. */
  readonly timerSlack: TuningOutcome
  /** SCHED_FIFO of every thread that waits: 'set', 'off' (not asked), or why it was refused (e.g. chrt's message). */
  readonly realtime: TuningOutcome
  /** PreciseClockOptions.inlineWaitMs as used: 0 when the caller's thread never blocks. */
  readonly inlineWaitMs: number
  /** Kernel thread id of the timer thread (for ps -L, chrt -p, perf), or why it could not be read. */
  readonly timerThreadId: number | string
}

/**
 * A Clock with sub-millisecond wake-ups (ARCHITECTURE.md decision 2), from a dedicated timer
 * thread sleeping in Atomics.wait and, with inline waits, from the calling thread itself.
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
 * - Without inline waits, wake-ups are delivered through this thread's event loop, so they inherit
 *   its stalls (a long job, a GC pause). With inline waits this thread's event loop stops for at
 *   most inlineWaitMs (plus the doorbell's reaction time) before a deadline. docs/timing.md.
 */
export interface PreciseClock extends Clock {
  readonly status: PreciseClockStatus
  close(): Promise<void>
}

/** The timer thread's module, .ts or .js like this one (module-worker.ts). */
const TIMER_THREAD_URL = siblingModuleUrl(import.meta.url, 'timer-thread')
/** Default inlineLeadMs cap: covers the timer thread's hand-off (p99 ~0.15-0.4 ms on the dev VM, docs/timing.md). */
const DEFAULT_LEAD_MS = 0.5

/**
 * Starts a timer thread and resolves once it runs and every thread is tuned as asked.
 * Throws RangeError for impossible options (negative times, lead > window, priority outside 1..99).
 */
export async function openPreciseClock(options: PreciseClockOptions = {}): Promise<PreciseClock> {
  const { spinUs, priority, windowMs, leadMs } = checkOptions(options)
  const buffer = new SharedArrayBuffer(TIMER_CELLS_BYTES)
  const cells = timerCells(buffer)
  cells.target[0] = Number.POSITIVE_INFINITY
  const timerSlack = options.timerSlack ?? true
  // With inline waits the timer thread only hands over early, so it need not spin.
  const workerData: TimerThreadData = { buffer, ownerOriginNs: measureTimeOrigin().originNs, spinUs: windowMs > 0 ? 0 : spinUs, timerSlack }
  const worker = startModuleWorker(TIMER_THREAD_URL, { workerData, resourceLimits: { maxYoungGenerationSizeMb: 1 } }) // it allocates next to nothing: no reason to reserve V8's default young generation
  const ready = await readyMessage(worker)
  const tids = windowMs > 0 ? [ready.tid, currentThreadId()] : [ready.tid]
  const status: PreciseClockStatus = {
    timerSlack: windowMs > 0 && timerSlack ? combine([ready.timerSlack, slackOf(tids[1]!)]) : ready.timerSlack,
    realtime: priority === null ? 'off' : combine(await Promise.all(tids.map(tid => realtimeOf(tid, priority)))),
    inlineWaitMs: windowMs,
    timerThreadId: ready.tid,
  }
  const inline: InlinePlan | null =
    windowMs > 0 ? { windowMs, leadMs, spinMs: spinUs / 1000, doorbell: options.doorbell ?? createDoorbell(), canWaitInline: options.canWaitInline ?? (() => true) } : null
  return new ThreadedClock(worker, cells, status, inline)
}

function checkOptions(options: PreciseClockOptions): { spinUs: number; priority: number | null; windowMs: number; leadMs: number } {
  const spinUs = options.spinUs ?? 0
  const priority = options.realtimePriority ?? null
  const windowMs = options.inlineWaitMs ?? 0
  const leadMs = options.inlineLeadMs ?? Math.min(windowMs, DEFAULT_LEAD_MS)
  if (!(spinUs >= 0 && spinUs < 1e6)) throw new RangeError(`spinUs must be in [0, 1e6), got ${spinUs}`)
  if (priority !== null && !(Number.isInteger(priority) && priority >= 1 && priority <= 99)) {
    throw new RangeError(`realtimePriority must be an integer in 1..99 or null, got ${priority}`)
  }
  if (!(windowMs >= 0 && windowMs < 1e6)) throw new RangeError(`inlineWaitMs must be in [0, 1e6), got ${windowMs}`)
  if (!(leadMs >= 0 && leadMs <= windowMs)) throw new RangeError(`inlineLeadMs must be in [0, inlineWaitMs], got ${leadMs}`)
  if (windowMs > 0 && spinUs / 1000 > windowMs) throw new RangeError(`spinUs (${spinUs}) must not exceed inlineWaitMs (${windowMs} ms)`)
  return { spinUs, priority, windowMs, leadMs }
}

function slackOf(tid: number | string): TuningOutcome {
  return typeof tid === 'number' ? setTimerSlack(tid, 1) : tid
}

function realtimeOf(tid: number | string, priority: number): Promise<TuningOutcome> {
  return typeof tid === 'number' ? setRealtimePriority(tid, priority) : Promise.resolve(tid)
}

/** 'set' when every thread got it, else the first reason. */
function combine(outcomes: readonly TuningOutcome[]): TuningOutcome {
  return outcomes.find(outcome => outcome !== 'set') ?? 'set'
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
