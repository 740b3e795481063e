import type { Filter, FilterSample } from './filter.ts'

/**
 * Reporting filters: they decide `report` (whether telemetry gets the sample) and never change
 * `value`, so alarms downstream always see the newest value.
 *
 * Shared contract:
 * - A NaN value is never worth reporting: it sets report = false and changes no state.
 * - Deadband and throttle only ever clear `report`. A sample that arrives with report = false
 *   (an earlier filter suppressed it) stays suppressed and changes no state, so it cannot use up
 *   a deadband's change or a throttle's slot that telemetry never saw.
 * - Heartbeat only ever sets `report` (or clears it for NaN).
 * - Order matters: a change that a later throttle suppresses is not retried by an earlier deadband.
 *   Put throttle before deadband, and a heartbeat last to bound how stale telemetry can get.
 * - reset() forgets every earlier sample. apply() does not allocate.
 */

/** Exactly one of the two, as in the task table's FilterSpec. */
export interface DeadbandOptions {
  /** Smallest change worth reporting, in the channel's unit, > 0. */
  readonly absolute?: number | undefined
  /** Or: smallest change as % of |last reported value|, > 0. */
  readonly percent?: number | undefined
}

/**
 * Reports a sample only when its value moved by at least the band from the last value this
 * deadband let through: |x - last| >= absolute, or >= percent / 100 * |last|. The first sample is
 * always let through. A change of exactly 0 is never reported (with `percent` and a last value of
 * 0 the band is 0, and repeating 0 is not news). Throws RangeError unless exactly one option is
 * given and it is a finite number > 0.
 */
export class DeadbandFilter implements Filter {
  readonly #absolute: number
  readonly #percent: number
  #last = Number.NaN

  constructor(options: DeadbandOptions) {
    const { absolute, percent } = options
    if ((absolute === undefined) === (percent === undefined)) throw new RangeError('deadband: give exactly one of absolute and percent')
    const band = absolute ?? percent ?? Number.NaN
    if (!(band > 0 && Number.isFinite(band))) throw new RangeError(`deadband: ${absolute === undefined ? 'percent' : 'absolute'} must be a finite number > 0, got ${band}`)
    this.#absolute = absolute ?? Number.NaN
    this.#percent = percent ?? Number.NaN
  }

  apply(sample: FilterSample): void {
    const x = sample.value
    if (Number.isNaN(x)) {
      sample.report = false
      return
    }
    if (!sample.report) return
    const last = this.#last
    if (Number.isNaN(last) || this.#isChange(x, last)) this.#last = x
    else sample.report = false
  }

  reset(): void {
    this.#last = Number.NaN
  }

  #isChange(x: number, last: number): boolean {
    const change = Math.abs(x - last)
    // percent * |last| / 100, not percent / 100 * |last|: exact for whole percentages of whole values.
    const band = Number.isNaN(this.#percent) ? this.#absolute : (this.#percent * Math.abs(last)) / 100
    return change > 0 && change >= band
  }
}

/**
 * Suppresses a sample that comes less than `minIntervalMs` after the last sample this throttle let
 * through; the first one passes. Throws RangeError unless minIntervalMs is a finite number > 0.
 */
export class ThrottleFilter implements Filter {
  readonly #minIntervalMs: number
  #lastAtMs = Number.NaN

  constructor(minIntervalMs: number) {
    if (!(minIntervalMs > 0 && Number.isFinite(minIntervalMs))) throw new RangeError(`throttle: minIntervalMs must be a finite number > 0, got ${minIntervalMs}`)
    this.#minIntervalMs = minIntervalMs
  }

  apply(sample: FilterSample): void {
    if (Number.isNaN(sample.value)) {
      sample.report = false
      return
    }
    if (!sample.report) return
    // With no sample let through yet the difference is NaN, `<` is false, and the sample passes.
    if (sample.atMs - this.#lastAtMs < this.#minIntervalMs) sample.report = false
    else this.#lastAtMs = sample.atMs
  }

  reset(): void {
    this.#lastAtMs = Number.NaN
  }
}

/**
 * Reports a sample that an earlier filter suppressed when at least `maxIntervalMs` has passed since
 * the last sample this heartbeat left with report = true (and the first one it sees), so telemetry
 * hears from the channel at least that often: a gap between reported samples never exceeds
 * maxIntervalMs plus one sample spacing. It records the time of every sample it leaves with
 * report = true. Throws RangeError unless maxIntervalMs is a finite number > 0.
 */
export class HeartbeatFilter implements Filter {
  readonly #maxIntervalMs: number
  #lastAtMs = Number.NaN

  constructor(maxIntervalMs: number) {
    if (!(maxIntervalMs > 0 && Number.isFinite(maxIntervalMs))) throw new RangeError(`heartbeat: maxIntervalMs must be a finite number > 0, got ${maxIntervalMs}`)
    this.#maxIntervalMs = maxIntervalMs
  }

  apply(sample: FilterSample): void {
    if (Number.isNaN(sample.value)) {
      sample.report = false
      return
    }
    // With no sample reported yet the difference is NaN, and the sample is reported.
    if (!sample.report && !(sample.atMs - this.#lastAtMs < this.#maxIntervalMs)) sample.report = true
    if (sample.report) this.#lastAtMs = sample.atMs
  }

  reset(): void {
    this.#lastAtMs = Number.NaN
  }
}
