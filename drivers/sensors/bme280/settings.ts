import * as z from 'zod'
import { FILTER_CODE, MODE, OVERSAMPLING_CODE, SHIFT } from './registers.ts'

const oversampling = z
  .union([z.literal(1), z.literal(2), z.literal(4), z.literal(8), z.literal(16)])
  .describe('oversampling factor: more samples, less noise, longer conversion (datasheet 3.4, 5.4.3, 5.4.5)')

/**
 * A BME280's settings in a board file. The defaults are the datasheet's "weather monitoring"
 * recommendation (3.5.1): forced mode, x1 oversampling everywhere, filter off. Every channel is
 * always measured: the pressure and humidity formulas need the temperature (4.2.3).
 */
export const bme280Settings = z.strictObject({
  temperatureOversampling: oversampling.default(1),
  pressureOversampling: oversampling.default(1),
  humidityOversampling: oversampling.default(1),
  iirFilter: z
    .union([z.literal('off'), z.literal(2), z.literal(4), z.literal(8), z.literal(16)])
    .default('off')
    .describe('IIR filter coefficient for temperature and pressure, or off (datasheet 3.4.4)'),
})

export type Bme280Settings = z.infer<typeof bme280Settings>

export const DEFAULT_BME280_SETTINGS: Bme280Settings = bme280Settings.parse({})

export function ctrlHumByte(settings: Bme280Settings): number {
  return OVERSAMPLING_CODE[settings.humidityOversampling]
}

export function ctrlMeasByte(settings: Bme280Settings, mode: (typeof MODE)[keyof typeof MODE]): number {
  return (OVERSAMPLING_CODE[settings.temperatureOversampling] << SHIFT.OSRS_T) | (OVERSAMPLING_CODE[settings.pressureOversampling] << SHIFT.OSRS_P) | mode
}

/** t_sb stays 0 (forced mode never uses it) and spi3w_en 0 (I2C). */
export function configByte(settings: Bme280Settings): number {
  return FILTER_CODE[settings.iirFilter] << SHIFT.FILTER
}

/**
 * Longest time one forced measurement takes, ms (datasheet 9.1):
 * t_measure,max = 1.25 + 2.3·osrs_t + (2.3·osrs_p + 0.575) + (2.3·osrs_h + 0.575).
 */
export function measurementTimeMs(settings: Bme280Settings): number {
  const { temperatureOversampling: t, pressureOversampling: p, humidityOversampling: h } = settings
  return 1.25 + 2.3 * t + (2.3 * p + 0.575) + (2.3 * h + 0.575)
}
