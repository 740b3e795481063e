import { PendingSleep, type SleepCanceller } from './executive/pending-sleep.ts'
import { SleepQueue } from './executive/sleep-queue.ts'

export type { Clock } from '../drivers/hal/clock.ts'
import type { Clock } from '../drivers/hal/clock.ts'

/**
 * The process's monotonic clock with Node's ordinary timers: millisecond-granular wake-ups, on
 * average ~0.6 ms late (docs/timing.md). Fine for logic that is not time-critical; the scheduler
 * on a real board uses the precise executive clock instead.
 *
 * All pending sleeps share one queue and one Node timer armed for the earliest of them, so they
 * resolve in deadline order even when two deadlines are microseconds apart (separate timers
 * would not: Node keeps one list per whole-ms duration). Node truncates a fractional delay and
 * may fire up to ~1 ms early (libuv#4773, nodejs/node#26578), so a fire resolves only what
 * `now()` has really reached and re-arms for the rest.
 */
class TimerClock implements Clock, SleepCanceller {
  readonly #queue = new SleepQueue<PendingSleep>()
  #timer: NodeJS.Timeout | undefined
  #armedForMs = Number.POSITIVE_INFINITY
  readonly #fire = (): void => {
    this.#timer = undefined
    this.#armedForMs = Number.POSITIVE_INFINITY
    const nowMs = performance.now()
    for (let due = this.#queue.peek(); due !== undefined && due.atMs <= nowMs; due = this.#queue.peek()) {
      this.#queue.pop()
      due.resolve()
    }
    this.#arm()
  }

  now(): number {
    return performance.now()
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error)
    const atMs = performance.now() + Math.max(0, ms)
    return new Promise<void>((resolve, reject) => {
      this.#queue.insert(new PendingSleep(atMs, resolve, reject, signal, this))
      this.#arm()
    })
  }

  /** Called by a pending sleep whose signal aborted. */
  cancel(sleep: PendingSleep): void {
    if (!this.#queue.remove(sleep)) return
    sleep.reject(sleep.abortReason)
    this.#arm()
  }

  /** Keeps the one timer pointed at the earliest pending deadline; none while nothing is pending. */
  #arm(): void {
    const earliestMs = this.#queue.peek()?.atMs ?? Number.POSITIVE_INFINITY
    if (earliestMs === this.#armedForMs) return
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#armedForMs = earliestMs
    if (earliestMs === Number.POSITIVE_INFINITY) return
    this.#timer = setTimeout(this.#fire, Math.max(0, Math.ceil(earliestMs - performance.now())))
  }
}

export const systemClock: Clock = new TimerClock()

/**
 * Wall-clock time, epoch ms, for what must mean something across restarts and to other machines
 * (persisted alarm states, message times). The one place that reads Date.now(); logic gets it
 * injected, like the Clock.
 */
export const wallNow = (): number => Date.now()
