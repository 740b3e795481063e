/**
 * The only source of time for drivers and the runtime: milliseconds on a monotonic timeline.
 * Declared here, at the bottom of the layering, so drivers can take one without importing the
 * runtime; runtime/clock.ts re-exports it with the implementations.
 *
 * Contract (every implementation; test/contract/clock.contract.ts):
 * - `now()` never goes backwards. Its origin is arbitrary; only differences mean anything.
 * - `sleep(ms)` resolves no earlier than `now() + ms` as read when it was called. A negative or
 *   zero `ms` resolves at the next opportunity, never synchronously.
 * - `sleep(ms, signal)` rejects with `signal.reason` if the signal is aborted first, and at once
 *   if it is already aborted. An aborted sleep leaves no timer and no listener behind, and a
 *   resolved one leaves no listener on the signal (the scheduler reuses one signal for many sleeps).
 */
export interface Clock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}
