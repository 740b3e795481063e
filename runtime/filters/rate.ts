import type { Filter, FilterSample } from './filter.ts'

/**
 * The value becomes its rate of change per second: (x - previous x) / (dt / 1000), dt being the
 * time since the previous sample in ms.
 *
 * Contract:
 * - The first sample after construction or reset() gives NaN (no previous sample yet).
 * - dt <= 0 (a repeated or out-of-order timestamp) gives NaN and does not replace the previous
 *   sample, so the next good sample is measured against the last one that moved time forward.
 * - A NaN value passes through as NaN and does not replace the previous sample.
 * - `report` is never touched. apply() does not allocate.
 */
export class RateFilter implements Filter {
  #previousValue = Number.NaN
  #previousAtMs = Number.NaN

  apply(sample: FilterSample): void {
    const x = sample.value
    if (Number.isNaN(x)) return
    const dtMs = sample.atMs - this.#previousAtMs
    if (Number.isNaN(this.#previousValue)) {
      sample.value = Number.NaN
    } else if (!(dtMs > 0)) {
      sample.value = Number.NaN
      return
    } else {
      sample.value = ((x - this.#previousValue) * 1000) / dtMs
    }
    this.#previousValue = x
    this.#previousAtMs = sample.atMs
  }

  reset(): void {
    this.#previousValue = Number.NaN
    this.#previousAtMs = Number.NaN
  }
}
