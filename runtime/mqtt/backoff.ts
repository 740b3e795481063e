/** How long to wait between connection attempts: `initialMs`, doubling after each failure, up to `maxMs`. */
export interface Backoff {
  readonly initialMs: number
  readonly maxMs: number
}

/** 250 ms doubling to 10 s: a restarted broker on the LAN is found again within ~10 s, a down one is tried ~6 times a minute. */
export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 10_000 }

/** Throws RangeError unless 0 < initialMs <= maxMs (both finite). */
export function checkBackoff(backoff: Backoff): Backoff {
  const { initialMs, maxMs } = backoff
  if (!(Number.isFinite(initialMs) && initialMs > 0 && Number.isFinite(maxMs) && maxMs >= initialMs)) {
    throw new RangeError(`backoff must have 0 < initialMs <= maxMs, got initialMs ${initialMs}, maxMs ${maxMs}`)
  }
  return backoff
}

/**
 * The wait before the next attempt after `failures` consecutive failed ones (0 = the first retry).
 *
 * The base doubles per failure; the jitter spreads it over ±25 % so that a fleet does not
 * reconnect in step after a broker restart (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"). ±25 % rather than "full" jitter keeps successive waits growing (1.25·d < 1.5·d) until
 * the cap, and the result never exceeds `maxMs`, so `maxMs` bounds how long an outage goes
 * unnoticed after the broker is back. `random` returns a number in [0, 1), like Math.random.
 */
export function retryDelayMs(backoff: Backoff, failures: number, random: () => number): number {
  const baseMs = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures, 52))
  const jitteredMs = baseMs * (0.75 + 0.5 * random())
  return Math.round(Math.min(backoff.maxMs, jitteredMs))
}
