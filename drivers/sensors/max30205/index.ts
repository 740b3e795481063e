import { portOf, type SensorDescriptor } from '../sensor.ts'
import { Max30205 } from './max30205.ts'
import type { Max30205Reading } from './reading.ts'
import { ADDRESSES, CONVERSION_MS, OPERATING_RANGE_C } from './registers.ts'
import { max30205Settings, type Max30205Settings } from './settings.ts'

export { Max30205 } from './max30205.ts'
export type { Max30205Reading } from './reading.ts'
export { max30205Settings, type Max30205Settings } from './settings.ts'

/** Maxim MAX30205 (I2C): clinical-grade body temperature, ±0.1 °C from 37 to 39 °C. */
export const max30205: SensorDescriptor<Max30205Reading, Max30205Settings> = {
  chip: 'max30205',
  description: 'Maxim MAX30205 human body temperature sensor (16-bit, 0.00390625 °C resolution)',
  bus: 'i2c',
  addresses: ADDRESSES,
  channels: [{ name: 'temperatureC', unit: '°C', description: 'skin or body temperature', ...OPERATING_RANGE_C }],
  settings: max30205Settings,
  // One one-shot conversion takes up to 50 ms (electrical characteristics, t_CONV).
  minPeriodMs: CONVERSION_MS,
  create: (port, clock, settings) => new Max30205(portOf('max30205', port, 'i2c').device, clock, settings),
}
