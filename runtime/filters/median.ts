import type { Filter, FilterSample } from './filter.ts'

/**
 * A sliding median: removes single-sample spikes (a lost ultrasonic echo, one bad conversion) that
 * a mean would smear over the window.
 *
 * Contract:
 * - `value` becomes the median of the newest `samples` values; with an even count, the mean of the
 *   two middle ones; with fewer than `samples` so far, the median of what it has.
 * - A NaN value passes through as NaN and is not added to the window (no NaN ever enters it).
 * - `report` is never touched. reset() empties the window.
 * - apply() does not allocate: the window is a Float64Array ring and the sort is an insertion sort
 *   into a preallocated scratch array, O(n²) per sample, meant for n <= 101 (the FilterSpec bound).
 */
export class MedianFilter implements Filter {
  readonly #ring: Float64Array
  readonly #sorted: Float64Array
  #next = 0
  #count = 0

  constructor(samples: number) {
    if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`median: samples must be an integer >= 1, got ${samples}`)
    this.#ring = new Float64Array(samples)
    this.#sorted = new Float64Array(samples)
  }

  apply(sample: FilterSample): void {
    const value = sample.value
    if (Number.isNaN(value)) return
    const ring = this.#ring
    ring[this.#next] = value
    this.#next = (this.#next + 1) % ring.length
    if (this.#count < ring.length) this.#count++
    sample.value = this.#median()
  }

  reset(): void {
    this.#next = 0
    this.#count = 0
  }

  #median(): number {
    const count = this.#count
    const ring = this.#ring
    const sorted = this.#sorted
    for (let i = 0; i < count; i++) {
      const value = ring[i]!
      let j = i - 1
      while (j >= 0 && sorted[j]! > value) {
        sorted[j + 1] = sorted[j]!
        j--
      }
      sorted[j + 1] = value
    }
    const middle = count >> 1
    return count % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
  }
}
