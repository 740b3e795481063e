/**
 * A lateness distribution as counts in log-scaled buckets (1-2-5 per decade, µs), small enough
 * to keep in `npm run bench -- --json` and to draw (docs/performance-lateness.svg) where the
 * percentiles alone hide the shape: a naive setTimeout loop's lump near the ms boundary against
 * the worker's tens of µs.
 */
export interface LatenessBuckets {
  /** Lower edges in µs; bucket i holds [edgesUs[i], edgesUs[i + 1]), the last one has no upper edge. */
  readonly edgesUs: readonly number[]
  /** Recorded releases per bucket. */
  readonly counts: readonly number[]
  /** Recorded releases that started before their release time (a timer that fired early). */
  readonly early: number
  /** Releases in the measured windows that never ran (skipped after a late wake-up). */
  readonly missed: number
  /** Releases in the measured windows: every share is of this. */
  readonly expected: number
}

export const LATENESS_EDGES_US: readonly number[] = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000]

/** Buckets `latenessMs` (ms, as jitter-samples.ts records it) over LATENESS_EDGES_US. */
export function latenessBuckets(latenessMs: ArrayLike<number>, missed: number, expected: number): LatenessBuckets {
  const counts = new Array<number>(LATENESS_EDGES_US.length).fill(0)
  let early = 0
  for (let i = 0; i < latenessMs.length; i++) {
    const us = latenessMs[i]! * 1000
    if (us < 0) {
      early++
      continue
    }
    let bucket = LATENESS_EDGES_US.length - 1
    while (bucket > 0 && us < LATENESS_EDGES_US[bucket]!) bucket--
    counts[bucket]!++
  }
  return { edgesUs: LATENESS_EDGES_US, counts, early, missed, expected }
}

/** "10–20 µs", "≥ 10 ms": a bucket's label. */
export function bucketLabel(edgesUs: readonly number[], index: number): string {
  const low = edgesUs[index]!
  const high = edgesUs[index + 1]
  const unit = (us: number): string => (us >= 1000 ? `${us / 1000} ms` : `${us} µs`)
  if (high === undefined) return `≥ ${unit(low)}`
  return high <= 1000 ? `${low}–${high} µs` : low >= 1000 ? `${low / 1000}–${high / 1000} ms` : `${unit(low)}–${unit(high)}`
}
