import { withoutUndefined, type Optional } from './defined.ts'
import {
  BASELINE_VITALS,
  DEFAULT_TIME_CONSTANTS_S,
  stepVitals,
  targetsAfterEvent,
  type PatientEvent,
  type Vitals,
  type VitalsTimeConstantsS,
} from './patient-physiology.ts'
import type { PulseOximeterTarget, TemperatureTarget } from './targets.ts'
import type { World } from './world.ts'

/** Where the patient starts; these values are also the baseline `recover` returns to. */
export interface PatientInitial extends Optional<Vitals> {
  readonly probeOn?: boolean | undefined
  readonly timeConstantsS?: Optional<VitalsTimeConstantsS> | undefined
}

/** A scenario's `set`: new targets (reached smoothly), the probe, or the time constants. */
export type PatientSettings = PatientInitial

export interface PatientTargets {
  /** MAX30102 (heart rate, SpO2, perfusion, probe). */
  readonly pulseOximeter?: PulseOximeterTarget | undefined
  /** MAX30205 (body temperature). */
  readonly thermometer?: TemperatureTarget | undefined
}

export interface PatientReport extends Vitals {
  readonly atMs: number
  readonly probeOn: boolean
  readonly targets: Vitals
}

/**
 * A patient whose vital signs ramp toward targets set by events (first-order, one time constant
 * per sign), feeding a pulse oximeter and a body thermometer. The probe coming off changes what
 * the oximeter sees, not the patient.
 */
export class PatientWorld implements World {
  readonly #outputs: PatientTargets
  readonly #baseline: Vitals
  #vitals: Vitals
  #targets: Vitals
  #timeConstantsS: VitalsTimeConstantsS
  #probeOn: boolean
  #nowMs = 0

  constructor(outputs: PatientTargets, initial: PatientInitial = {}) {
    const { probeOn, timeConstantsS, ...vitals } = initial
    this.#outputs = outputs
    this.#baseline = { ...BASELINE_VITALS, ...withoutUndefined(vitals) }
    this.#vitals = this.#baseline
    this.#targets = this.#baseline
    this.#timeConstantsS = { ...DEFAULT_TIME_CONSTANTS_S, ...withoutUndefined(timeConstantsS ?? {}) }
    this.#probeOn = probeOn ?? true
  }

  attach(atMs: number): () => void {
    this.#nowMs = atMs
    this.#publish()
    return () => undefined
  }

  advanceTo(atMs: number): void {
    const dtMs = atMs - this.#nowMs
    if (dtMs > 0) {
      this.#vitals = stepVitals(this.#vitals, this.#targets, this.#timeConstantsS, dtMs)
      this.#nowMs = atMs
    }
    this.#publish()
  }

  /** Vitals given become the targets the patient ramps to; `probeOn` and time constants apply at once. */
  set(settings: PatientSettings): void {
    const { probeOn, timeConstantsS, ...targets } = settings
    this.#targets = { ...this.#targets, ...withoutUndefined(targets) }
    this.#timeConstantsS = { ...this.#timeConstantsS, ...withoutUndefined(timeConstantsS ?? {}) }
    if (probeOn !== undefined) this.#probeOn = probeOn
  }

  /** A named event: new targets (tachycardia…, recover: the baseline) or the probe coming off or on. */
  trigger(event: PatientEvent): void {
    if (event === 'probe-off' || event === 'probe-on') this.#probeOn = event === 'probe-on'
    this.#targets = targetsAfterEvent(event, this.#targets, this.#baseline)
  }

  report(): PatientReport {
    return { atMs: this.#nowMs, ...this.#vitals, probeOn: this.#probeOn, targets: this.#targets }
  }

  #publish(): void {
    const { heartRateBpm, spo2Pct, perfusionPct, temperatureC } = this.#vitals
    this.#outputs.pulseOximeter?.setPatient({ heartRateBpm, spo2Pct, perfusionPct, probeOn: this.#probeOn })
    this.#outputs.thermometer?.setTemperature(temperatureC)
  }
}
