/**
 * The only source of time in the runtime: milliseconds on a monotonic timeline.
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

/**
 * The process's monotonic clock with Node's ordinary timers: millisecond-granular wake-ups, on
 * average ~0.6 ms late (docs/timing.md). Fine for logic that is not time-critical; the scheduler
 * on a real board uses the precise executive clock instead.
 *
 * Node truncates a fractional delay and its timers may fire up to ~1 ms before the requested time
 * (docs/timing.md, "naive setTimeout … fired early"), so the timer is re-armed until now() has
 * really reached the deadline.
 */
export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(signal.reason as unknown)
        return
      }
      const untilMs = performance.now() + Math.max(0, ms)
      let timer: NodeJS.Timeout
      const onAbort = (): void => {
        clearTimeout(timer)
        reject(signal?.reason as unknown)
      }
      const check = (): void => {
        const leftMs = untilMs - performance.now()
        if (leftMs > 0) {
          timer = setTimeout(check, Math.ceil(leftMs))
          return
        }
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      timer = setTimeout(check, Math.ceil(Math.max(0, ms)))
    }),
}
