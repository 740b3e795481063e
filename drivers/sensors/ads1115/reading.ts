import type { Reading } from '../sensor.ts'
import type { Ads1115Channel } from './settings.ts'

/** The reading field of each input: AIN0 → voltageA0V … AIN3 → voltageA3V. */
export const CHANNEL_NAMES = ['voltageA0V', 'voltageA1V', 'voltageA2V', 'voltageA3V'] as const

export type Ads1115ChannelName = (typeof CHANNEL_NAMES)[number]

/**
 * One ADS1115 measurement: a field for each channel the settings enable, in volts against GND.
 * quality 'fault', fault 'out-of-range' when any channel sits at a full-scale code.
 */
export interface Ads1115Reading extends Reading {
  readonly voltageA0V?: number
  readonly voltageA1V?: number
  readonly voltageA2V?: number
  readonly voltageA3V?: number
}

export function ads1115Reading(voltages: ReadonlyMap<Ads1115Channel, number>, anyFullScale: boolean, atMs: number): Ads1115Reading {
  const fields: Partial<Record<Ads1115ChannelName, number>> = {}
  for (const [channel, volts] of voltages) fields[CHANNEL_NAMES[channel]] = volts
  const reading: Ads1115Reading = anyFullScale ? { atMs, quality: 'fault', fault: 'out-of-range', ...fields } : { atMs, quality: 'good', ...fields }
  return Object.freeze(reading)
}
