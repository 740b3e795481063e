import { analyseBeats, BeatScratch, medianBeatAmplitude, medianBeatRatio } from './beats.ts'
import { Biquad } from './biquad.ts'
import { spo2FromRatio } from './spo2-curve.ts'

export interface PpgEstimatorOptions {
  /** FIFO samples per second (after on-chip averaging). */
  readonly sampleRateHz: number
  /** Analysis window, ms. */
  readonly windowMs: number
  /** 'red': heart-rate mode, the red channel carries the pulse; 'red-ir': SpO2 mode, IR carries it. */
  readonly channels: 'red' | 'red-ir'
}

/**
 * - 'warming-up': fewer than settle + window samples since the start, a gap, or the probe going on
 * - 'probe-off': the newest sample's pulse-channel level says no finger
 * - 'signal-low': too few beats, too little pulsation, or an irregular rhythm in the window
 * - 'ok': estimates are from a full window of a regular, well-perfused signal
 */
export type PpgState = 'warming-up' | 'probe-off' | 'signal-low' | 'ok'

export interface PpgEstimate {
  readonly state: PpgState
  readonly heartRateBpm?: number
  readonly spo2Pct?: number
  readonly perfusionPct?: number
  readonly ratioOfRatios?: number
}

/** Analysis parameters (README.md, "Algorithm"). */
export const PPG = {
  /**
   * Band-pass: 2nd-order Butterworth high-pass at 0.5 Hz (30 bpm) and low-pass at 8 Hz, which
   * keeps a pulse's first few harmonics (its shape and peak-to-trough height) up to ~120 bpm.
   */
  highPassHz: 0.5,
  lowPassHz: 8,
  /** High-pass settling before the window counts (its poles decay with τ ≈ 0.45 s: e^(−1.5/0.45) ≈ 4 %). */
  settleMs: 1500,
  /** No finger: the pulse channel's level under 5 % of ADC full scale (README.md, "Probe off"). */
  probeOffFraction: 0.05,
  /** Too little pulsation: peak-to-trough AC under 0.4 % of DC (README.md, "Signal low"). */
  minPerfusionPct: 0.4,
  /** Irregular: an interval more than 25 % away from the median interval. */
  maxIrregularity: 0.25,
  /** At least two intervals (three beats) for a median worth the name. */
  minBeats: 3,
} as const

/**
 * Heart rate, SpO2 and perfusion from a red/IR photoplethysmogram, over a sliding window.
 * push() runs once per FIFO sample and allocates nothing (preallocated rings, in-place filters);
 * estimate() analyses the window on demand in O(window), with preallocated scratch.
 * Inputs are fractions of the ADC full scale, so thresholds do not depend on the resolution.
 */
export class PpgEstimator {
  readonly #options: PpgEstimatorOptions
  readonly #windowSamples: number
  readonly #settleSamples: number
  readonly #rawRed: Float64Array
  readonly #rawIr: Float64Array
  readonly #acRed: Float64Array
  readonly #acIr: Float64Array
  readonly #pulse: Float64Array
  readonly #redPulse: Float64Array
  readonly #scratch: BeatScratch
  readonly #highRed: Biquad
  readonly #lowRed: Biquad
  readonly #highIr: Biquad
  readonly #lowIr: Biquad
  #head = 0
  #samples = 0
  #probeOff = false

  constructor(options: PpgEstimatorOptions) {
    if (!(options.sampleRateHz > 2 * PPG.lowPassHz)) throw new RangeError(`PpgEstimator: sampleRateHz must exceed ${2 * PPG.lowPassHz}, got ${options.sampleRateHz}`)
    this.#options = options
    this.#windowSamples = Math.round((options.windowMs * options.sampleRateHz) / 1000)
    this.#settleSamples = Math.round((PPG.settleMs * options.sampleRateHz) / 1000)
    const n = this.#windowSamples
    this.#rawRed = new Float64Array(n)
    this.#rawIr = new Float64Array(n)
    this.#acRed = new Float64Array(n)
    this.#acIr = new Float64Array(n)
    this.#pulse = new Float64Array(n)
    this.#redPulse = new Float64Array(n)
    this.#scratch = new BeatScratch(n, options.sampleRateHz)
    const fs = options.sampleRateHz
    this.#highRed = Biquad.highPass(PPG.highPassHz, fs)
    this.#lowRed = Biquad.lowPass(PPG.lowPassHz, fs)
    this.#highIr = Biquad.highPass(PPG.highPassHz, fs)
    this.#lowIr = Biquad.lowPass(PPG.lowPassHz, fs)
  }

  /** Forgets the window (a gap in the data: lost FIFO samples, a failed read). */
  reset(): void {
    this.#samples = 0
    this.#probeOff = false
  }

  /** One sample, each channel as a fraction of full scale; `ir` is ignored in 'red' mode. */
  push(red: number, ir: number): void {
    const pulseLevel = this.#options.channels === 'red-ir' ? ir : red
    if (!(pulseLevel >= PPG.probeOffFraction)) {
      this.#probeOff = true
      this.#samples = 0
      return
    }
    this.#probeOff = false
    const withIr = this.#options.channels === 'red-ir'
    if (this.#samples === 0) {
      this.#lowRed.prime(this.#highRed.prime(red))
      if (withIr) this.#lowIr.prime(this.#highIr.prime(ir))
    }
    const at = this.#head
    this.#rawRed[at] = red
    this.#acRed[at] = this.#lowRed.step(this.#highRed.step(red))
    if (withIr) {
      this.#rawIr[at] = ir
      this.#acIr[at] = this.#lowIr.step(this.#highIr.step(ir))
    }
    this.#head = (at + 1) % this.#windowSamples
    this.#samples = Math.min(this.#samples + 1, this.#settleSamples + this.#windowSamples)
  }

  estimate(): PpgEstimate {
    if (this.#probeOff) return { state: 'probe-off' }
    if (this.#samples < this.#settleSamples + this.#windowSamples) return { state: 'warming-up' }
    const withIr = this.#options.channels === 'red-ir'
    const pulseDc = mean(withIr ? this.#rawIr : this.#rawRed)
    this.#chronological(withIr ? this.#acIr : this.#acRed, this.#pulse)
    const beats = analyseBeats(this.#pulse, this.#windowSamples, this.#options.sampleRateHz, this.#scratch)
    const heartRateBpm = 60000 / beats.medianIntervalMs
    const perfusionPct = (100 * medianBeatAmplitude(this.#pulse, beats.beats, this.#scratch)) / pulseDc
    let ratioOfRatios = Number.NaN
    if (withIr) {
      this.#chronological(this.#acRed, this.#redPulse)
      ratioOfRatios = (medianBeatRatio(this.#redPulse, this.#pulse, beats.beats, this.#scratch) * pulseDc) / mean(this.#rawRed)
    }
    const spo2Pct = spo2FromRatio(ratioOfRatios)
    const regular = beats.beats >= PPG.minBeats && beats.irregularity <= PPG.maxIrregularity
    const state: PpgState = regular && perfusionPct >= PPG.minPerfusionPct ? 'ok' : 'signal-low'
    return {
      state,
      ...(Number.isFinite(heartRateBpm) && { heartRateBpm }),
      ...(Number.isFinite(perfusionPct) && { perfusionPct }),
      ...(Number.isFinite(ratioOfRatios) && { ratioOfRatios, spo2Pct }),
    }
  }

  /** Copies a ring oldest-first, inverted: light falls as blood volume rises, so systole becomes a peak. */
  #chronological(ring: Float64Array, into: Float64Array): void {
    const n = this.#windowSamples
    for (let i = 0; i < n; i++) into[i] = -ring[(this.#head + i) % n]!
  }
}

function mean(values: Float64Array): number {
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += values[i]!
  return sum / values.length
}
