import type { Reading } from '../sensor.ts'
import { AMP, CM_PER_M, RANGE_M, TEMPERATURE } from './protocol.ts'

/** One TF-Luna measurement. */
export interface TfLunaReading extends Reading {
  /** Distance to the target, m (the frame carries whole cm). */
  readonly distanceM: number
  /** Amp, the received signal strength, 0..65535 (no unit). */
  readonly signalStrength: number
  /** Temperature of the sensor's chip, °C (not the air's). */
  readonly temperatureC: number
}

/** Temp field → °C: Temp / 8 − 256 (A05 Appendix I.1). */
export function temperatureCOf(temperatureRaw: number): number {
  return temperatureRaw / TEMPERATURE.DIVISOR - TEMPERATURE.OFFSET_C
}

/**
 * Why a frame's distance cannot be trusted, or undefined when it can (protocol.ts, AMP and
 * RANGE_M): 'overexposed' (Amp 0xFFFF, or above 32768: ambient light), 'signal-low' (Amp < 100;
 * the part then reports 0 cm), 'out-of-range' (outside 0.2–8 m).
 */
export function faultOf(distanceCm: number, signalStrength: number): 'overexposed' | 'signal-low' | 'out-of-range' | undefined {
  if (signalStrength === AMP.OVEREXPOSED || signalStrength > AMP.AMBIENT_OVEREXPOSURE_ABOVE) return 'overexposed'
  if (signalStrength < AMP.MIN_RELIABLE) return 'signal-low'
  const distanceM = distanceCm / CM_PER_M
  if (distanceM < RANGE_M.MIN || distanceM > RANGE_M.MAX) return 'out-of-range'
  return undefined
}

/** A frozen reading from a frame's raw fields; quality 'fault' with the reason when faultOf() has one. */
export function tfLunaReading(distanceCm: number, signalStrength: number, temperatureRaw: number, atMs: number): TfLunaReading {
  const values = { distanceM: distanceCm / CM_PER_M, signalStrength, temperatureC: temperatureCOf(temperatureRaw) }
  const fault = faultOf(distanceCm, signalStrength)
  return Object.freeze(fault === undefined ? { atMs, quality: 'good', ...values } : { atMs, quality: 'fault', fault, ...values })
}
