import { approachExponential } from './first-order.ts'

/**
 * Vital signs that move toward targets as first-order systems (first-order.ts), one time
 * constant per sign, solved exactly per step so the result does not depend on the step length.
 */

export interface Vitals {
  readonly heartRateBpm: number
  readonly spo2Pct: number
  readonly temperatureC: number
  /** Perfusion index: pulsatile over non-pulsatile absorption, % (typically 0.2–20). */
  readonly perfusionPct: number
}

/** A time constant per vital sign, in seconds. */
export type VitalsTimeConstantsS = { readonly [K in keyof Vitals]: number }

export const VITAL_NAMES: readonly (keyof Vitals)[] = ['heartRateBpm', 'spo2Pct', 'temperatureC', 'perfusionPct']

/** The baseline: a resting adult. */
export const BASELINE_VITALS: Vitals = { heartRateBpm: 72, spo2Pct: 97, temperatureC: 36.8, perfusionPct: 2 }

/**
 * Illustrative time constants: heart rate and saturation follow within tens of seconds, core
 * temperature far more slowly (fever onset takes many minutes). Scenarios shorten them for demos.
 */
export const DEFAULT_TIME_CONSTANTS_S: VitalsTimeConstantsS = { heartRateBpm: 10, spo2Pct: 15, temperatureC: 300, perfusionPct: 10 }

export function stepVitals(vitals: Vitals, targets: Vitals, timeConstantsS: VitalsTimeConstantsS, dtMs: number): Vitals {
  const step = (name: keyof Vitals): number => approachExponential(vitals[name], targets[name], dtMs, timeConstantsS[name] * 1000)
  return { heartRateBpm: step('heartRateBpm'), spo2Pct: step('spo2Pct'), temperatureC: step('temperatureC'), perfusionPct: step('perfusionPct') }
}

/** Named events a scenario can trigger on a patient. */
export const PATIENT_EVENTS = ['tachycardia', 'bradycardia', 'desaturation', 'fever', 'probe-off', 'probe-on', 'recover'] as const
export type PatientEvent = (typeof PATIENT_EVENTS)[number]

/**
 * The event targets. For scale: tachycardia is a resting rate above 100 bpm, bradycardia
 * below 60; saturation under 90 % is hypoxaemia; a core temperature of 38.0 °C or more is fever.
 */
export const EVENT_TARGETS = {
  tachycardia: { heartRateBpm: 140 },
  bradycardia: { heartRateBpm: 40 },
  desaturation: { spo2Pct: 85 },
  fever: { temperatureC: 39.0 },
} as const satisfies Partial<Record<PatientEvent, Partial<Vitals>>>

/** The targets after a physiological event; probe events leave them as they are. */
export function targetsAfterEvent(event: PatientEvent, targets: Vitals, baseline: Vitals): Vitals {
  if (event === 'recover') return baseline
  if (event === 'probe-off' || event === 'probe-on') return targets
  return { ...targets, ...EVENT_TARGETS[event] }
}
