import type { Reading } from '../sensor.ts'
import { OPERATING_RANGE_C } from './registers.ts'

/** One MAX30205 measurement. quality 'fault', fault 'out-of-range' outside the 0..50 °C range. */
export interface Max30205Reading extends Reading {
  readonly temperatureC: number
}

export function max30205Reading(temperatureC: number, atMs: number): Max30205Reading {
  const inRange = temperatureC >= OPERATING_RANGE_C.min && temperatureC <= OPERATING_RANGE_C.max
  const reading: Max30205Reading = inRange ? { atMs, quality: 'good', temperatureC } : { atMs, quality: 'fault', fault: 'out-of-range', temperatureC }
  return Object.freeze(reading)
}
