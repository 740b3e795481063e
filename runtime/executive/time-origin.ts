/**
 * Where this thread's performance.now() starts, on the process-wide monotonic clock.
 *
 * Every Node thread (main or worker) has its own performance.timeOrigin, so the same instant reads
 * differently in two threads. Both performance.now() and process.hrtime.bigint() are derived from
 * libuv's uv_hrtime() (CLOCK_MONOTONIC), so `hrtime - performance.now()` is a constant per thread:
 * its origin. Two threads that know their origins convert a time with one subtraction.
 *
 * Error: the two readings cannot be taken at the same instant. The estimate brackets
 * performance.now() between two hrtime readings and keeps the tightest of `samples` tries, so the
 * origin is off by at most half that gap, plus 0.5 ns of rounding; a conversion between two
 * threads carries both errors. On the 2-vCPU dev VM the bound came out at 0.2–0.8 µs, and a
 * cross-thread check (one thread stamps, the other reads right after) never saw the converted
 * time ahead of the reader's. Taking the tightest bracket matters: the first performance.now()
 * of a thread loads perf_hooks and took ~1.2 ms here, which an unbracketed reading would add to
 * the origin. The PreciseClock never depends on this bound for correctness (it re-checks its own
 * clock before resolving a sleep); a larger error only costs an extra round trip.
 */
export interface TimeOrigin {
  /** process.hrtime.bigint() at this thread's performance.now() = 0, in ns. */
  readonly originNs: bigint
  /** Bound on the error of originNs, in ns. */
  readonly uncertaintyNs: number
}

export function measureTimeOrigin(samples = 9): TimeOrigin {
  let originNs = 0n
  let bestGapNs = Number.POSITIVE_INFINITY
  for (let i = 0; i < samples; i++) {
    const beforeNs = process.hrtime.bigint()
    const nowMs = performance.now()
    const afterNs = process.hrtime.bigint()
    const gapNs = Number(afterNs - beforeNs)
    if (gapNs < bestGapNs) {
      bestGapNs = gapNs
      originNs = (beforeNs + afterNs) / 2n - BigInt(Math.round(nowMs * 1e6))
    }
  }
  return { originNs, uncertaintyNs: bestGapNs / 2 + 0.5 }
}

/**
 * Milliseconds to add to a time read on the thread with `fromOriginNs` to get the same instant
 * on the thread with `toOriginNs`.
 */
export function originOffsetMs(fromOriginNs: bigint, toOriginNs: bigint): number {
  return Number(fromOriginNs - toOriginNs) / 1e6
}
