import type { Worker } from 'node:worker_threads'
import { AbortWatch, WatchedSleep } from './abort-watch.ts'
import { doorbellValue, waitInline } from './inline-wait.ts'
import { PendingSleep, type SleepCanceller } from './pending-sleep.ts'
import type { PreciseClock, PreciseClockStatus } from './precise-clock.ts'
import { SleepQueue } from './sleep-queue.ts'
import { TimerLink } from './timer-link.ts'
import type { TimerCells } from './timer-protocol.ts'

/**
 * Microtasks are queued with RESOLVED.then(), not queueMicrotask(): Node's queueMicrotask wraps
 * every callback in an AsyncResource (lib/internal/queue_microtask.js), which costs allocations
 * and async-hook bookkeeping on the wake-up path.
 */
const RESOLVED = Promise.resolve()

/** How the owner thread waits inline (precise-clock.ts, PreciseClockOptions). */
export interface InlinePlan {
  /** A deadline at most this far off is waited for inline, ms. */
  readonly windowMs: number
  /** A farther one: the timer thread wakes the owner this long before it (<= windowMs), ms. */
  readonly leadMs: number
  /** Busy-wait the last spinMs of an inline wait, ms. */
  readonly spinMs: number
  readonly doorbell: Int32Array
  readonly canWaitInline: () => boolean
}

/**
 * The owner side of a PreciseClock: the pending sleeps, and for the earliest one either a
 * request to the timer thread (the owner's event loop stays free) or an inline wait (inline-wait.ts).
 * Every wake-up path ends in #serve(), which resolves only what THIS thread's clock has reached.
 */
export class ThreadedClock implements PreciseClock, SleepCanceller {
  readonly status: PreciseClockStatus
  readonly #worker: Worker
  readonly #link: TimerLink
  readonly #inline: InlinePlan | null
  readonly #queue = new SleepQueue<PendingSleep>()
  readonly #aborts = new AbortWatch(this)
  /** An inline wait is queued (setImmediate), and the doorbell value it waits against. */
  #inlineQueued = false
  #seen = 0
  /** A #rearm microtask is queued. */
  #rearming = false
  #referenced = true
  /** Set once closed or failed: every pending and later sleep rejects with it. */
  #ended: Error | undefined
  readonly #rearm = (): void => {
    this.#rearming = false
    if (this.#ended === undefined) this.#plan()
  }
  /** setImmediate callback: the wait itself runs in a microtask (see #queueInline). */
  readonly #runInline = (): void => void RESOLVED.then(this.#waitNow)
  readonly #waitNow = (): void => this.#waitInline()

  constructor(worker: Worker, cells: TimerCells, status: PreciseClockStatus, inline: InlinePlan | null) {
    this.#worker = worker
    this.#link = new TimerLink(cells, () => this.#serve())
    this.#inline = inline
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
      if (signal === undefined) {
        this.#queue.insert(new PendingSleep(atMs, resolve, reject, undefined, this))
      } else {
        const sleep = new WatchedSleep(atMs, resolve, reject, signal, this)
        this.#queue.insert(sleep)
        this.#aborts.add(sleep)
      }
      this.#setReferenced(true)
      this.#plan()
    })
  }

  /** Called by a pending sleep whose signal aborted. */
  cancel(sleep: PendingSleep): void {
    if (!this.#queue.remove(sleep)) return
    if (sleep instanceof WatchedSleep) this.#aborts.delete(sleep)
    sleep.reject(sleep.abortReason)
    this.#plan()
  }

  async close(): Promise<void> {
    if (this.#ended === undefined) {
      this.#link.stop()
      this.#end(new Error('precise clock is closed'))
    }
    await this.#worker.terminate()
  }

  /**
   * Arranges the wake-up for the earliest pending sleep: inline when it is near and the owner
   * allows it; else the timer thread, aimed at the deadline itself or, when the clock waits
   * inline, at leadMs before it (the inline wait does the rest). No sleep: the thread idles.
   */
  #plan(): void {
    const due = this.#queue.peek()
    if (due === undefined) {
      this.#link.aim(Number.POSITIVE_INFINITY)
      this.#setReferenced(false)
      return
    }
    const inline = this.#inline
    if (inline !== null && due.atMs - performance.now() > inline.windowMs) {
      this.#link.aim(due.atMs - inline.leadMs)
    } else if (inline !== null && inline.canWaitInline()) {
      this.#link.aim(Number.POSITIVE_INFINITY)
      this.#queueInline(inline)
      return
    } else {
      this.#link.aim(due.atMs)
    }
    this.#link.watch()
  }

  /**
   * The inline wait runs from setImmediate, i.e. in the check phase right after a poll phase
   * that did not block: whatever I/O and messages were ready have run. It blocks in a microtask
   * queued by the immediate, so what follows the wake-up (resolving the sleep, the scheduler's
   * continuation, the job) runs in the same microtask checkpoint instead of after Node's
   * immediate epilogue: job start − wake-up p99 37-41 µs instead of 62-82 µs at 1 ms on the dev
   * VM (docs/timing.md). The doorbell value is read now, so a ring from here on ends the wait.
   */
  #queueInline(inline: InlinePlan): void {
    if (this.#inlineQueued) return
    this.#inlineQueued = true
    this.#seen = doorbellValue(inline.doorbell)
    setImmediate(this.#runInline)
  }

  #waitInline(): void {
    this.#inlineQueued = false
    const inline = this.#inline
    const due = this.#queue.peek()
    if (this.#ended !== undefined || inline === null || due === undefined) return
    if (due.atMs - performance.now() > inline.windowMs || !inline.canWaitInline()) {
      this.#plan() // a nearer sleep was cancelled, or something needs the event loop now
      return
    }
    if (waitInline(inline.doorbell, this.#seen, due.atMs, inline.spinMs)) this.#serve()
    else this.#queueInline(inline) // the doorbell rang: one loop turn for it, then wait on
  }

  /**
   * Resolves every sleep whose deadline this thread's clock has reached (a timer-thread fire
   * that came a hair early, or a lead wake-up, resolves nothing), then re-plans. Re-planning
   * waits one microtask, so that a resolved sleeper that sleeps again at once (the scheduler
   * loop does) plans the next wake-up itself and the timer thread is asked once, not twice.
   */
  #serve(): void {
    if (this.#ended !== undefined) return
    const nowMs = performance.now()
    for (let due = this.#queue.peek(); due !== undefined && due.atMs <= nowMs; due = this.#queue.peek()) {
      this.#queue.pop()
      due.resolve()
      if (due instanceof WatchedSleep) this.#aborts.delete(due)
    }
    if (this.#rearming) return
    this.#rearming = true
    void RESOLVED.then(this.#rearm)
  }

  #end(reason: Error): void {
    if (this.#ended !== undefined) return
    this.#ended = reason
    this.#link.release() // settles our own waitAsync, so no promise is left waiting on a dead thread
    for (let sleep = this.#queue.pop(); sleep !== undefined; sleep = this.#queue.pop()) {
      if (sleep instanceof WatchedSleep) this.#aborts.delete(sleep)
      sleep.reject(reason)
    }
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
