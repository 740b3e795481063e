import type { Filter, FilterSample } from './filter.ts'

/**
 * Stateless value filters: clamp, scale and offset. NaN passes through as NaN; `report` is never
 * touched; reset() has nothing to forget. Every constructor throws RangeError for a non-finite
 * parameter (the FilterSpec only admits finite ones).
 */

/** Either bound, both, or neither (then the filter passes values unchanged). */
export interface ClampOptions {
  readonly min?: number | undefined
  readonly max?: number | undefined
}

/** Limits the value to [min, max]; ±Infinity goes to the bound on its side. Throws RangeError if min > max. */
export class ClampFilter implements Filter {
  readonly #min: number
  readonly #max: number

  constructor(options: ClampOptions) {
    const min = options.min ?? -Infinity
    const max = options.max ?? Infinity
    if (options.min !== undefined && !Number.isFinite(min)) throw new RangeError(`clamp: min must be finite, got ${min}`)
    if (options.max !== undefined && !Number.isFinite(max)) throw new RangeError(`clamp: max must be finite, got ${max}`)
    if (min > max) throw new RangeError(`clamp: min ${min} is above max ${max}`)
    this.#min = min
    this.#max = max
  }

  apply(sample: FilterSample): void {
    const x = sample.value
    if (x < this.#min) sample.value = this.#min
    else if (x > this.#max) sample.value = this.#max
  }

  reset(): void {}
}

/** value * factor (a unit conversion or a calibration gain). */
export class ScaleFilter implements Filter {
  readonly #factor: number

  constructor(factor: number) {
    if (!Number.isFinite(factor)) throw new RangeError(`scale: factor must be finite, got ${factor}`)
    this.#factor = factor
  }

  apply(sample: FilterSample): void {
    sample.value *= this.#factor
  }

  reset(): void {}
}

/** value + by (a calibration offset). */
export class OffsetFilter implements Filter {
  readonly #by: number

  constructor(by: number) {
    if (!Number.isFinite(by)) throw new RangeError(`offset: by must be finite, got ${by}`)
    this.#by = by
  }

  apply(sample: FilterSample): void {
    sample.value += this.#by
  }

  reset(): void {}
}
