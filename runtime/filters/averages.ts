import type { Filter, FilterSample } from './filter.ts'

/**
 * Recompute the running sum from the window after this many updates per window slot. Compensated
 * summation already keeps the error near one rounding, so this is only a bound on what is left.
 */
const RECOMPUTE_EVERY_WINDOWS = 16

/**
 * A sliding arithmetic mean of the newest `samples` values (fewer at the start: the mean of what
 * it has).
 *
 * Contract:
 * - A NaN value passes through as NaN and is not added to the window.
 * - `report` is never touched. reset() empties the window.
 * - apply() does not allocate and is O(1): it keeps a running sum, compensated (Neumaier) so that
 *   large values leaving the window do not leave their rounding behind, and recomputed from the
 *   ring every `samples * 16` updates so that no drift can build up. While the running sum is not
 *   finite (an ±Infinity is in the window) it is recomputed on every sample, which is O(n) but
 *   lets the mean become finite again once the infinity has left.
 */
export class MovingAverageFilter implements Filter {
  readonly #ring: Float64Array
  readonly #recomputeEvery: number
  #next = 0
  #count = 0
  #sum = 0
  #compensation = 0
  #sinceRecompute = 0

  constructor(samples: number) {
    if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`moving-average: samples must be an integer >= 1, got ${samples}`)
    this.#ring = new Float64Array(samples)
    this.#recomputeEvery = samples * RECOMPUTE_EVERY_WINDOWS
  }

  apply(sample: FilterSample): void {
    const value = sample.value
    if (Number.isNaN(value)) return
    const ring = this.#ring
    if (this.#count < ring.length) this.#count++
    else this.#add(-ring[this.#next]!)
    this.#add(value)
    this.#renormalise()
    ring[this.#next] = value
    this.#next = (this.#next + 1) % ring.length
    if (++this.#sinceRecompute >= this.#recomputeEvery || !Number.isFinite(this.#sum)) this.#recompute()
    sample.value = (this.#sum + this.#compensation) / this.#count
  }

  reset(): void {
    this.#next = 0
    this.#count = 0
    this.#sum = 0
    this.#compensation = 0
    this.#sinceRecompute = 0
  }

  /** Neumaier's compensated addition: #compensation collects what rounding #sum loses. */
  #add(value: number): void {
    const sum = this.#sum
    const total = sum + value
    this.#compensation += Math.abs(sum) >= Math.abs(value) ? sum - total + value : value - total + sum
    this.#sum = total
  }

  /**
   * Moves what the compensation can carry back into the sum (Knuth's TwoSum, exact), so the
   * compensation stays a rounding of the sum and never holds a value of its own, as it would
   * once a value that the sum absorbed has left the window.
   */
  #renormalise(): void {
    const sum = this.#sum
    const compensation = this.#compensation
    const total = sum + compensation
    if (!Number.isFinite(total)) return
    const fromCompensation = total - sum
    this.#compensation = sum - (total - fromCompensation) + (compensation - fromCompensation)
    this.#sum = total
  }

  #recompute(): void {
    this.#sum = 0
    this.#compensation = 0
    this.#sinceRecompute = 0
    for (let i = 0; i < this.#count; i++) this.#add(this.#ring[i]!)
    // An infinite sum makes the compensation NaN (Inf - Inf); the mean is the sum's infinity.
    if (!Number.isFinite(this.#sum)) this.#compensation = 0
  }
}

/** Exactly one of the two, as in the task table's FilterSpec. */
export interface ExponentialOptions {
  /** Weight of each new value, 0 < alpha <= 1: for evenly spaced samples. */
  readonly alpha?: number | undefined
  /** Time constant, ms > 0: the weight follows the time since the previous sample. */
  readonly timeConstantMs?: number | undefined
}

/**
 * An exponential moving average (first-order low-pass).
 *
 * Contract:
 * - The first sample after construction or reset() initialises y = x.
 * - With `alpha`: y += alpha * (x - y).
 * - With `timeConstantMs` (tau): y += (1 - exp(-dt / tau)) * (x - y), dt being the time since the
 *   previous sample (ms; dt <= 0 leaves y unchanged). After a step, y reaches 1 - 1/e (63.2 %) of
 *   it one time constant later, however the samples are spaced.
 * - `value` becomes y. A NaN value passes through as NaN and changes no state (the next dt spans it).
 * - An ±Infinity value passes through as y = ±Infinity, and the next finite value initialises y
 *   again: an average with an infinite term would otherwise stay infinite or NaN for ever.
 * - `report` is never touched. apply() does not allocate.
 * - The constructor throws RangeError unless exactly one option is given and in range.
 */
export class ExponentialFilter implements Filter {
  readonly #alpha: number
  readonly #timeConstantMs: number
  #y = Number.NaN
  #previousAtMs = Number.NaN

  constructor(options: ExponentialOptions) {
    const { alpha, timeConstantMs } = options
    if ((alpha === undefined) === (timeConstantMs === undefined)) {
      throw new RangeError('exponential: give exactly one of alpha and timeConstantMs')
    }
    if (alpha !== undefined && !(alpha > 0 && alpha <= 1)) throw new RangeError(`exponential: alpha must be in (0, 1], got ${alpha}`)
    if (timeConstantMs !== undefined && !(timeConstantMs > 0 && Number.isFinite(timeConstantMs))) {
      throw new RangeError(`exponential: timeConstantMs must be a finite number > 0, got ${timeConstantMs}`)
    }
    this.#alpha = alpha ?? Number.NaN
    this.#timeConstantMs = timeConstantMs ?? Number.NaN
  }

  apply(sample: FilterSample): void {
    const x = sample.value
    if (Number.isNaN(x)) return
    const y = this.#y
    if (!Number.isFinite(y) || !Number.isFinite(x)) this.#y = x
    else this.#y = y + this.#weight(sample.atMs) * (x - y)
    this.#previousAtMs = sample.atMs
    sample.value = this.#y
  }

  reset(): void {
    this.#y = Number.NaN
    this.#previousAtMs = Number.NaN
  }

  #weight(atMs: number): number {
    if (Number.isNaN(this.#timeConstantMs)) return this.#alpha
    const dtMs = atMs - this.#previousAtMs
    // -expm1(-u) is 1 - exp(-u) without the cancellation for small u (fine sampling).
    return dtMs > 0 ? -Math.expm1(-dtMs / this.#timeConstantMs) : 0
  }
}
