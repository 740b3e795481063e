import type { Bme280Calibration } from './calibration.ts'

/**
 * BME280 compensation: raw ADC words to °C, Pa and %RH. Pure; no I/O.
 *
 * Which formulas, and why: the datasheet's double-precision ones (BST-BME280-DS002 8.1), not the
 * 64-bit integer pressure formula of 4.2.3. That one needs int64 intermediates (it shifts by 47
 * and multiplies 48-bit values), and a JS Number holds integers exactly only up to 2^53, so it
 * would need BigInt on every sample for no gain: the double formula is what Bosch's own worked
 * example was computed with (BMP280 datasheet 3.12: 25.08 °C, 100653.27 Pa), and its rounding
 * error is orders of magnitude below the 0.16 Pa resolution of the 20-bit pressure word.
 */

/** One burst of data registers, as the ADC left them (datasheet 5.4.7..5.4.9). */
export interface Bme280RawSample {
  /** 20-bit uncompensated pressure (adc_P). */
  readonly adcP: number
  /** 20-bit uncompensated temperature (adc_T). */
  readonly adcT: number
  /** 16-bit uncompensated humidity (adc_H). */
  readonly adcH: number
}

export interface Bme280Values {
  readonly temperatureC: number
  readonly pressurePa: number
  readonly humidityPct: number
}

/** Unpacks the 8 bytes read from 0xF7: press msb/lsb/xlsb[7:4], temp msb/lsb/xlsb[7:4], hum msb/lsb. */
export function parseRawSample(bytes: Uint8Array): Bme280RawSample {
  if (bytes.length < 8) throw new RangeError(`a BME280 data burst is 8 bytes, got ${bytes.length}`)
  const b = (i: number): number => bytes[i]!
  return {
    adcP: (b(0) << 12) | (b(1) << 4) | (b(2) >> 4),
    adcT: (b(3) << 12) | (b(4) << 4) | (b(5) >> 4),
    adcH: (b(6) << 8) | b(7),
  }
}

/**
 * Temperature, and t_fine: the fine temperature the pressure and humidity formulas take.
 * t_fine is truncated to an integer as the datasheet's code does (it is a 32-bit int there).
 */
export function compensateTemperature(adcT: number, c: Bme280Calibration): { temperatureC: number; tFine: number } {
  const var1 = (adcT / 16384 - c.t1 / 1024) * c.t2
  const offset = adcT / 131072 - c.t1 / 8192
  const var2 = offset * offset * c.t3
  return { temperatureC: (var1 + var2) / 5120, tFine: Math.trunc(var1 + var2) }
}

/** Pressure in Pa; 0 where the datasheet's guard against dividing by zero returns 0. */
export function compensatePressure(adcP: number, tFine: number, c: Bme280Calibration): number {
  let var1 = tFine / 2 - 64000
  let var2 = (var1 * var1 * c.p6) / 32768
  var2 = var2 + var1 * c.p5 * 2
  var2 = var2 / 4 + c.p4 * 65536
  var1 = ((c.p3 * var1 * var1) / 524288 + c.p2 * var1) / 524288
  var1 = (1 + var1 / 32768) * c.p1
  if (var1 === 0) return 0
  let p = 1048576 - adcP
  p = ((p - var2 / 4096) * 6250) / var1
  var1 = (c.p9 * p * p) / 2147483648
  var2 = (p * c.p8) / 32768
  return p + (var1 + var2 + c.p7) / 16
}

/** Relative humidity in %, clamped to 0..100 as the datasheet's formula does. */
export function compensateHumidity(adcH: number, tFine: number, c: Bme280Calibration): number {
  const t = tFine - 76800
  const gain = (c.h2 / 65536) * (1 + (c.h6 / 67108864) * t * (1 + (c.h3 / 67108864) * t))
  let h = (adcH - (c.h4 * 64 + (c.h5 / 16384) * t)) * gain
  h = h * (1 - (c.h1 * h) / 524288)
  return Math.min(100, Math.max(0, h))
}

export function compensate(raw: Bme280RawSample, calibration: Bme280Calibration): Bme280Values {
  const { temperatureC, tFine } = compensateTemperature(raw.adcT, calibration)
  return {
    temperatureC,
    pressurePa: compensatePressure(raw.adcP, tFine, calibration),
    humidityPct: compensateHumidity(raw.adcH, tFine, calibration),
  }
}
