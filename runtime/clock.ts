import { setTimeout as delay } from 'node:timers/promises'

/**
 * The only source of time in the runtime: milliseconds on a monotonic timeline.
 *
 * Contract (every implementation; test/contract/clock.contract.ts):
 * - `now()` never goes backwards. Its origin is arbitrary; only differences mean anything.
 * - `sleep(ms)` resolves no earlier than `now() + ms` as read when it was called. A negative or
 *   zero `ms` resolves at the next opportunity, never synchronously.
 * - `sleep(ms, signal)` rejects with `signal.reason` if the signal is aborted first, and at once
 *   if it is already aborted. An aborted sleep leaves no timer behind.
 */
export interface Clock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/**
 * The process's monotonic clock with Node's ordinary timers: millisecond-granular wake-ups, on
 * average ~0.6 ms late (docs/timing.md). Fine for logic that is not time-critical; the scheduler
 * on a real board uses the precise executive clock instead.
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) => delay(Math.max(0, ms), undefined, signal === undefined ? undefined : { signal }),
}
