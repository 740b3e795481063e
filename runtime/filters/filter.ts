/**
 * One sample on its way through a channel's filters. A chain reuses one object per channel, so
 * nothing is allocated per sample (the hot path: sample → filters → alarm → actuator).
 */
export interface FilterSample {
  /** The value so far; a value filter replaces it. NaN means "no value yet" (a rate's first sample). */
  value: number
  /** When the sample was taken, on the runtime Clock, ms. */
  atMs: number
  /**
   * Whether this sample is worth reporting (telemetry). Reporting filters (deadband, throttle,
   * heartbeat) decide it; they never change `value`, so alarms always see the newest value.
   */
  report: boolean
}

/** A filter step (STYLE.md: pure, allocation-free). */
export interface Filter {
  apply(sample: FilterSample): void
  /** Forgets the history, as after a gap in good samples longer than the channel's max age. */
  reset(): void
}
