import type { Reading } from '../sensor.ts'
import type { Bme280Values } from './compensation.ts'
import { OPERATING_RANGE } from './registers.ts'

/** One BME280 measurement. quality 'fault' with fault 'out-of-range' when a value is outside the operating range. */
export interface Bme280Reading extends Reading, Bme280Values {}

/** Wraps compensated values into a reading, judging them against the datasheet's operating range. */
export function bme280Reading(values: Bme280Values, atMs: number): Bme280Reading {
  const inRange = (Object.keys(OPERATING_RANGE) as (keyof typeof OPERATING_RANGE)[]).every(name => {
    const { min, max } = OPERATING_RANGE[name]
    return values[name] >= min && values[name] <= max
  })
  const reading: Bme280Reading = inRange ? { atMs, quality: 'good', ...values } : { atMs, quality: 'fault', fault: 'out-of-range', ...values }
  return Object.freeze(reading)
}
