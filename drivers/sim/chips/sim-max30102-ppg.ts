/**
 * The light a MAX30102 photodiode would see from a finger: a synthetic photoplethysmogram for
 * the emulator (sim-max30102.ts). Physical quantities in, photodiode currents (nA) out.
 *
 * Written from the textbook definitions, independently of the driver's analysis:
 * - Arterial blood volume pulses once per beat; more blood absorbs more light, so the detected
 *   current dips at systole: I = DC · (1 − m · v(φ)), v a beat shape with peak-to-trough 1.
 * - Perfusion index PI = peak-to-trough AC / DC of the IR light, so m_ir = PI / 100.
 * - The ratio of ratios R = (AC_red/DC_red) / (AC_ir/DC_ir) follows from the wanted SpO2 by the
 *   inverse of the calibration line SpO2 = 110 − 25·R: R = (110 − SpO2) / 25; m_red = R · m_ir.
 * The tissue gains (nA of photocurrent per mA of LED current) and the noise are modelling
 * choices, not datasheet values: they put a finger at roughly half of a 4096 nA full scale at
 * 7 mA, and a bare sensor (cover-glass crosstalk only) under 1 % of it.
 */
export interface Patient {
  readonly heartRateBpm: number
  readonly spo2Pct: number
  /** Default 2 %, a typical fingertip value. */
  readonly perfusionPct?: number
  readonly probeOn: boolean
}

export interface SyntheticPpgOptions {
  /** PRNG seed: the same seed and the same reads give the same bytes. Default 1. */
  readonly seed?: number
  /** Breathing modulates the baseline (respiratory baseline wander); 0 (default) turns it off. */
  readonly respirationRatePerMin?: number
  /** Baseline wander depth, % of DC. Default 0.5. */
  readonly wanderPct?: number
}

const TISSUE_GAIN_NA_PER_MA = { red: 250, ir: 350 } as const
const BARE_GAIN_NA_PER_MA = 3
/** White noise, standard deviation as a fraction of DC, independent per channel. */
const NOISE_FRACTION = 0.0005
const DEFAULT_PERFUSION_PCT = 2

/** Beat shape over one period φ ∈ [0, 1): systolic wave and a smaller dicrotic wave, peak-to-trough 1, trough 0. */
const beatShape = (() => {
  const raw = (phase: number): number => bump(phase, 0.2, 0.08) + 0.3 * bump(phase, 0.5, 0.1)
  let low = Number.POSITIVE_INFINITY
  let high = Number.NEGATIVE_INFINITY
  for (let i = 0; i < 2000; i++) {
    const value = raw(i / 2000)
    low = Math.min(low, value)
    high = Math.max(high, value)
  }
  return (phase: number): number => (raw(phase) - low) / (high - low)
})()

function bump(phase: number, centre: number, width: number): number {
  const distance = phase - centre - Math.round(phase - centre) // periodic distance, −0.5..0.5
  return Math.exp(-(distance * distance) / (2 * width * width))
}

export class SyntheticPpg {
  #patient: Patient = { heartRateBpm: 72, spo2Pct: 97, probeOn: true }
  #phase = 0
  #atMs: number | undefined
  #seed: number
  readonly #respirationRatePerMin: number
  readonly #wanderFraction: number

  constructor(options: SyntheticPpgOptions = {}) {
    this.#seed = (options.seed ?? 1) >>> 0 || 1
    this.#respirationRatePerMin = options.respirationRatePerMin ?? 0
    this.#wanderFraction = (options.wanderPct ?? 0.5) / 100
  }

  setPatient(patient: Patient): void {
    if (!(patient.heartRateBpm > 0 && patient.heartRateBpm <= 400)) throw new RangeError(`heartRateBpm must be in (0, 400], got ${patient.heartRateBpm}`)
    if (!(patient.spo2Pct >= 0 && patient.spo2Pct <= 100)) throw new RangeError(`spo2Pct must be 0..100, got ${patient.spo2Pct}`)
    const perfusionPct = patient.perfusionPct ?? DEFAULT_PERFUSION_PCT
    if (!(perfusionPct >= 0 && perfusionPct <= 20)) throw new RangeError(`perfusionPct must be 0..20, got ${perfusionPct}`)
    this.#patient = { ...patient }
  }

  /** Moves the heart's phase to `atMs` without producing light (samples the chip dropped). */
  advanceTo(atMs: number): void {
    if (this.#atMs !== undefined) this.#phase = (this.#phase + ((atMs - this.#atMs) * this.#patient.heartRateBpm) / 60000) % 1
    this.#atMs = atMs
  }

  /** Photodiode currents at `atMs` (non-decreasing across calls) for the given LED currents, nA. */
  currentsNa(atMs: number, redLedMa: number, irLedMa: number): { redNa: number; irNa: number } {
    this.advanceTo(atMs)
    const patient = this.#patient
    if (!patient.probeOn) {
      return { redNa: this.#noisy(BARE_GAIN_NA_PER_MA * redLedMa), irNa: this.#noisy(BARE_GAIN_NA_PER_MA * irLedMa) }
    }
    const irDepth = (patient.perfusionPct ?? DEFAULT_PERFUSION_PCT) / 100
    const ratioOfRatios = (110 - patient.spo2Pct) / 25
    const volume = beatShape(this.#phase)
    const wander = 1 + this.#wanderFraction * Math.sin((2 * Math.PI * atMs * this.#respirationRatePerMin) / 60000)
    const redDc = TISSUE_GAIN_NA_PER_MA.red * redLedMa * wander
    const irDc = TISSUE_GAIN_NA_PER_MA.ir * irLedMa * wander
    return {
      redNa: this.#noisy(redDc * (1 - ratioOfRatios * irDepth * volume)),
      irNa: this.#noisy(irDc * (1 - irDepth * volume)),
    }
  }

  #noisy(currentNa: number): number {
    return currentNa * (1 + NOISE_FRACTION * this.#gaussian())
  }

  /** Box–Muller on xorshift32 (Marsaglia 2003): deterministic standard normal deviates. */
  #gaussian(): number {
    const u1 = (this.#next() + 1) / 4294967297
    const u2 = this.#next() / 4294967296
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
  }

  #next(): number {
    let x = this.#seed
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    this.#seed = x >>> 0
    return this.#seed
  }
}
