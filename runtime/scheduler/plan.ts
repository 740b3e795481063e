/**
 * Pure release arithmetic: no clock, no I/O, no promises. The loop (scheduler.ts) calls these.
 */

/**
 * Which release to make when the loop wakes at `nowMs` and the task's next release was due at
 * `dueMs` (<= nowMs). Fixed-rate: releases stay on the grid `dueMs + k·periodMs`. If the loop woke
 * more than a period late, the releases it slept through are counted as skipped and only the
 * latest one that is due is made, so a late wake-up never produces a burst of stale jobs.
 */
export function catchUp(dueMs: number, periodMs: number, nowMs: number): { releaseMs: number; skipped: number } {
  const skipped = periodsSlept(dueMs, periodMs, nowMs)
  return { releaseMs: dueMs + skipped * periodMs, skipped }
}

/** The `skipped` of catchUp() without allocating: the loop calls this for every release. */
export function periodsSlept(dueMs: number, periodMs: number, nowMs: number): number {
  const behind = nowMs - dueMs
  return behind >= periodMs ? Math.floor(behind / periodMs) : 0
}

/** Restart policy after a job fails: releases are held back for a while, longer each time. */
export interface RestartPolicy {
  /** Back-off after the first failure, ms; 0 keeps releasing on schedule. */
  readonly initialMs: number
  /** The back-off doubles with each consecutive failure up to this, ms. */
  readonly maxMs: number
}

/** Back-off after `consecutiveFailures` (>= 1) failed jobs in a row, ms. */
export function backoffMs(policy: RestartPolicy, consecutiveFailures: number): number {
  if (policy.initialMs <= 0 || consecutiveFailures <= 0) return 0
  const exponent = Math.min(consecutiveFailures - 1, 30)
  return Math.min(policy.maxMs, policy.initialMs * 2 ** exponent)
}

/** Release time of a sporadic event that arrives at `arrivalMs`, honouring the minimum inter-arrival time. */
export function sporadicReleaseMs(arrivalMs: number, lastReleaseMs: number, minInterArrivalMs: number): number {
  return Math.max(arrivalMs, lastReleaseMs + minInterArrivalMs)
}
