import { portOf, type SensorDescriptor } from '../sensor.ts'
import { Bme280 } from './bme280.ts'
import type { Bme280Reading } from './reading.ts'
import { ADDRESSES, OPERATING_RANGE } from './registers.ts'
import { bme280Settings, DEFAULT_BME280_SETTINGS, measurementTimeMs, type Bme280Settings } from './settings.ts'

export { Bme280 } from './bme280.ts'
export type { Bme280Reading } from './reading.ts'
export { bme280Settings, measurementTimeMs, type Bme280Settings } from './settings.ts'

const range = OPERATING_RANGE

/** Bosch BME280 (I2C): temperature, pressure and relative humidity. */
export const bme280: SensorDescriptor<Bme280Reading, Bme280Settings> = {
  chip: 'bme280',
  description: 'Bosch BME280 combined temperature, barometric pressure and relative humidity sensor',
  bus: 'i2c',
  addresses: ADDRESSES,
  channels: [
    { name: 'temperatureC', unit: '°C', description: 'air temperature', ...range.temperatureC },
    { name: 'pressurePa', unit: 'Pa', description: 'barometric pressure', ...range.pressurePa },
    { name: 'humidityPct', unit: '%', description: 'relative humidity', ...range.humidityPct },
  ],
  settings: bme280Settings,
  // One forced measurement with the default settings (datasheet 9.1); more oversampling takes longer.
  minPeriodMs: Math.ceil(measurementTimeMs(DEFAULT_BME280_SETTINGS)),
  create: (port, clock, settings) => new Bme280(portOf('bme280', port, 'i2c').device, clock, settings),
}
