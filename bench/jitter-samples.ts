/**
 * Lateness samples of one periodic job, recorded without allocating: a preallocated
 * Float64Array, filled from the job body (ARCHITECTURE.md decision 3).
 *
 * Releases are on the grid origin + k·periodMs, origin being the first release seen. Releases
 * with k·periodMs < warmupMs, or >= durationMs, are not recorded; `expected` is the number of
 * grid points in between, so expected − recorded is the number of releases that never ran.
 */
export class LatenessSamples {
  readonly periodMs: number
  readonly expected: number
  readonly #firstK: number
  readonly #endK: number
  readonly #latenessMs: Float64Array
  #count = 0
  #originMs = Number.NaN

  constructor(periodMs: number, warmupMs: number, durationMs: number) {
    this.periodMs = periodMs
    this.#firstK = Math.ceil(warmupMs / periodMs - 1e-9)
    this.#endK = Math.ceil(durationMs / periodMs - 1e-9)
    this.expected = Math.max(0, this.#endK - this.#firstK)
    this.#latenessMs = new Float64Array(this.expected)
  }

  /** Records that the job released at `releaseMs` started at `startMs` (same clock). */
  record(releaseMs: number, startMs: number): void {
    if (Number.isNaN(this.#originMs)) this.#originMs = releaseMs
    const k = Math.round((releaseMs - this.#originMs) / this.periodMs)
    if (k < this.#firstK || k >= this.#endK || this.#count >= this.#latenessMs.length) return
    this.#latenessMs[this.#count++] = startMs - releaseMs
  }

  get count(): number {
    return this.#count
  }

  /** The recorded lateness values, ms (a view, not a copy). */
  values(): Float64Array {
    return this.#latenessMs.subarray(0, this.#count)
  }
}

/** Lateness statistics in µs. */
export interface LatenessStats {
  readonly count: number
  readonly p50Us: number
  readonly p99Us: number
  /** With a few thousand jobs this rests on a handful of them: read it as "near the max". */
  readonly p999Us: number
  readonly maxUs: number
  /** Jobs that started before their release time (a timer that fired early). */
  readonly early: number
}

/** Nearest-rank percentiles of `latenessMs`. */
export function latenessStats(latenessMs: Float64Array): LatenessStats {
  const sorted = Float64Array.from(latenessMs).sort()
  const count = sorted.length
  const at = (p: number): number => (count === 0 ? Number.NaN : sorted[Math.max(0, Math.ceil(p * count) - 1)]! * 1000)
  let early = 0
  for (const value of sorted) if (value < 0) early++
  return { count, p50Us: at(0.5), p99Us: at(0.99), p999Us: at(0.999), maxUs: at(1), early }
}
