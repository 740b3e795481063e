import type { FilterSpec } from '../../tasks/alarm-schema.ts'
import { ExponentialFilter, MovingAverageFilter } from './averages.ts'
import type { Filter, FilterSample } from './filter.ts'
import { ClampFilter, OffsetFilter, ScaleFilter } from './linear.ts'
import { MedianFilter } from './median.ts'
import { RateFilter } from './rate.ts'
import { DeadbandFilter, HeartbeatFilter, ThrottleFilter } from './reporting.ts'

/**
 * The filter for one FilterSpec of a task table. Throws RangeError for a spec the schema admits
 * but no filter can run: exponential or deadband with both or neither of their options (config
 * binding rejects these first, with the table path).
 */
export function createFilter(spec: FilterSpec): Filter {
  switch (spec.type) {
    case 'median':
      return new MedianFilter(spec.samples)
    case 'moving-average':
      return new MovingAverageFilter(spec.samples)
    case 'exponential':
      return new ExponentialFilter({ alpha: spec.alpha, timeConstantMs: spec.timeConstantMs })
    case 'deadband':
      return new DeadbandFilter({ absolute: spec.absolute, percent: spec.percent })
    case 'throttle':
      return new ThrottleFilter(spec.minIntervalMs)
    case 'heartbeat':
      return new HeartbeatFilter(spec.maxIntervalMs)
    case 'clamp':
      return new ClampFilter({ min: spec.min, max: spec.max })
    case 'scale':
      return new ScaleFilter(spec.factor)
    case 'offset':
      return new OffsetFilter(spec.by)
    case 'rate':
      return new RateFilter()
    default: {
      const unknown: never = spec
      throw new RangeError(`unknown filter spec ${JSON.stringify(unknown)}`)
    }
  }
}

/**
 * A channel's filters, applied in table order to one FilterSample that the caller reuses.
 *
 * Contract:
 * - Before apply() the caller sets `value`, `atMs` (runtime Clock, ms) and `report = true`; after
 *   it, `value` is what alarms see and `report` says whether telemetry gets the sample.
 * - Value filters (median, moving-average, exponential, clamp, scale, offset, rate) change only
 *   `value`; reporting filters (deadband, throttle, heartbeat) change only `report`.
 * - reset() resets every filter (after a gap in good samples). apply() does not allocate.
 * - An empty chain passes the sample through unchanged.
 */
export class FilterChain implements Filter {
  readonly #filters: readonly Filter[]
  readonly length: number

  constructor(specs: readonly FilterSpec[]) {
    this.#filters = specs.map(createFilter)
    this.length = this.#filters.length
  }

  apply(sample: FilterSample): void {
    const filters = this.#filters
    for (let i = 0; i < filters.length; i++) filters[i]!.apply(sample)
  }

  reset(): void {
    for (const filter of this.#filters) filter.reset()
  }
}
