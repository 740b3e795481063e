import type { DelaySpec } from '../../tasks/alarm-schema.ts'
import type { Truth } from './condition.ts'

/**
 * Time qualification (ISA-18.2 on-delay / off-delay) of a raw condition into a boolean `active`.
 *
 * Contract:
 * - Not active: each 'true' starts or continues a run; the run qualifies once it has lasted the
 *   on-delay's `ms` (nowMs minus the time of the run's first 'true') or counted its `samples`
 *   consecutive 'true's. No delay qualifies at once.
 * - Active: the same with the off-delay and 'false'.
 * - The opposite definite truth ends the run; the next qualifying truth starts a new one.
 * - 'unknown' (a value that cannot be trusted) neither counts nor ends a run, and never changes
 *   `active`: an intermittent fault in a 5 s on-delay does not start the 5 s again (a pulse
 *   oximeter that drops a sample now and then at 40 bpm still raises bradycardia), and a run of
 *   'true's with gaps of 'unknown' qualifies on time from its first 'true'.
 * - step() allocates nothing. Times are on the runtime Clock, ms, and do not go backwards.
 */
export class Qualifier {
  readonly #onMs: number
  readonly #onSamples: number
  readonly #offMs: number
  readonly #offSamples: number
  #active = false
  /** Length of the current run towards the opposite of `active`; 0 when there is none. */
  #runSamples = 0
  #runStartMs = 0

  constructor(onDelay: DelaySpec | undefined, offDelay: DelaySpec | undefined) {
    // A delay is "lasted ms AND counted samples": {ms} leaves samples at 1, {samples} leaves ms at 0.
    this.#onMs = onDelay !== undefined && 'ms' in onDelay ? onDelay.ms : 0
    this.#onSamples = onDelay !== undefined && 'samples' in onDelay ? onDelay.samples : 1
    this.#offMs = offDelay !== undefined && 'ms' in offDelay ? offDelay.ms : 0
    this.#offSamples = offDelay !== undefined && 'samples' in offDelay ? offDelay.samples : 1
  }

  get active(): boolean {
    return this.#active
  }

  /** Feeds one raw result; returns the qualified value after it. */
  step(truth: Truth, nowMs: number): boolean {
    if (truth === 'unknown') return this.#active
    if ((truth === 'true') === this.#active) {
      this.#runSamples = 0
      return this.#active
    }
    if (this.#runSamples === 0) this.#runStartMs = nowMs
    this.#runSamples++
    const delayMs = this.#active ? this.#offMs : this.#onMs
    const delaySamples = this.#active ? this.#offSamples : this.#onSamples
    if (nowMs - this.#runStartMs >= delayMs && this.#runSamples >= delaySamples) {
      this.#active = !this.#active
      this.#runSamples = 0
    }
    return this.#active
  }

  /** Puts back a qualified value (restore at boot); any run in progress is forgotten. */
  set(active: boolean): void {
    this.#active = active
    this.#runSamples = 0
  }
}
