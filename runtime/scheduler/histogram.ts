/**
 * A log-linear histogram of durations that records without allocating (GC pauses are the largest
 * source of jitter in Node: ARCHITECTURE.md decision 3). Values are kept in whole microseconds:
 * exact below 32 µs, then 32 buckets per power of two, so a percentile is at most ~3 % above the
 * true value (the bucket's upper edge is reported, never less than the truth). Covers 0 µs to
 * 2^31 µs (~36 min); larger values land in the last bucket. The maximum is kept exactly.
 */
const SUB_BITS = 5
const SUB_COUNT = 1 << SUB_BITS // 32
const MAX_US = 2 ** 31 - 1
const BUCKETS = SUB_COUNT + (31 - SUB_BITS) * SUB_COUNT

export interface HistogramSummary {
  readonly count: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly maxMs: number
  readonly meanMs: number
}

export class Histogram {
  readonly #counts = new Uint32Array(BUCKETS)
  #count = 0
  #sumUs = 0
  #maxUs = 0

  /** Records a duration in ms; negative values count as 0. */
  record(valueMs: number): void {
    const us = valueMs > 0 ? Math.min(MAX_US, Math.round(valueMs * 1000)) : 0
    this.#counts[bucketOf(us)]!++
    this.#count++
    this.#sumUs += us
    if (us > this.#maxUs) this.#maxUs = us
  }

  get count(): number {
    return this.#count
  }

  /** The value (ms) at or below which `fraction` (0..1) of the recorded values lie; 0 when empty. */
  percentileMs(fraction: number): number {
    if (this.#count === 0) return 0
    const rank = Math.max(1, Math.ceil(fraction * this.#count))
    let seen = 0
    for (let index = 0; index < BUCKETS; index++) {
      seen += this.#counts[index]!
      if (seen >= rank) return Math.min(upperEdgeUs(index), this.#maxUs) / 1000
    }
    return this.#maxUs / 1000
  }

  get maxMs(): number {
    return this.#maxUs / 1000
  }

  get meanMs(): number {
    return this.#count === 0 ? 0 : this.#sumUs / this.#count / 1000
  }

  summary(): HistogramSummary {
    return { count: this.#count, p50Ms: this.percentileMs(0.5), p99Ms: this.percentileMs(0.99), maxMs: this.maxMs, meanMs: this.meanMs }
  }

  reset(): void {
    this.#counts.fill(0)
    this.#count = 0
    this.#sumUs = 0
    this.#maxUs = 0
  }
}

/** Bucket index of a whole number of µs. */
export function bucketOf(us: number): number {
  if (us < SUB_COUNT) return us
  const exponent = 31 - Math.clz32(us) // >= SUB_BITS
  const sub = (us >>> (exponent - SUB_BITS)) - SUB_COUNT
  return SUB_COUNT + (exponent - SUB_BITS) * SUB_COUNT + sub
}

/** Largest µs value that falls into bucket `index`. */
export function upperEdgeUs(index: number): number {
  if (index < SUB_COUNT) return index
  const exponent = ((index - SUB_COUNT) >> SUB_BITS) + SUB_BITS
  const sub = (index - SUB_COUNT) & (SUB_COUNT - 1)
  // Multiplication, not <<: the shift would wrap negative at 2^31.
  return (SUB_COUNT + sub + 1) * 2 ** (exponent - SUB_BITS) - 1
}
