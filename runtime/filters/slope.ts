/**
 * The least-squares slope of value over time across the newest `samples` points, for derived
 * channels (closing speed from distance).
 *
 * Contract:
 * - slopePerS is in value units per second; NaN with fewer than 2 points, or when all their
 *   times are equal.
 * - A push whose time or value is NaN is ignored.
 * - Points need not arrive in time order; the newest `samples` pushes form the window.
 * - push() does not allocate; slopePerS is O(n) and does not allocate either.
 *
 * Numerics: atMs values are large (hours to years of ms), so x² sums in raw time would cancel
 * catastrophically. Times are centred on the newest point's time before anything is summed, and
 * the slope is computed in two passes (means first, then centred sums), which is exact for exact
 * linear data up to a few roundings.
 */
export class SlopeWindow {
  readonly #atMs: Float64Array
  readonly #values: Float64Array
  #next = 0
  #count = 0

  constructor(samples: number) {
    if (!Number.isInteger(samples) || samples < 2) throw new RangeError(`slope: samples must be an integer >= 2, got ${samples}`)
    this.#atMs = new Float64Array(samples)
    this.#values = new Float64Array(samples)
  }

  push(atMs: number, value: number): void {
    if (Number.isNaN(atMs) || Number.isNaN(value)) return
    this.#atMs[this.#next] = atMs
    this.#values[this.#next] = value
    this.#next = (this.#next + 1) % this.#atMs.length
    if (this.#count < this.#atMs.length) this.#count++
  }

  get slopePerS(): number {
    const count = this.#count
    if (count < 2) return Number.NaN
    const times = this.#atMs
    const values = this.#values
    const newestAtMs = times[(this.#next - 1 + times.length) % times.length]!
    let sumS = 0
    let sumValue = 0
    for (let i = 0; i < count; i++) {
      sumS += (times[i]! - newestAtMs) / 1000
      sumValue += values[i]!
    }
    const meanS = sumS / count
    const meanValue = sumValue / count
    let sxy = 0
    let sxx = 0
    for (let i = 0; i < count; i++) {
      const dS = (times[i]! - newestAtMs) / 1000 - meanS
      sxy += dS * (values[i]! - meanValue)
      sxx += dS * dS
    }
    return sxx > 0 ? sxy / sxx : Number.NaN
  }

  reset(): void {
    this.#next = 0
    this.#count = 0
  }
}
