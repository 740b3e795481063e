import type { Quality } from '../sensor.ts'

/**
 * Raw MPU-6050 measurements to SI units, pure. Scale factors from the register map
 * RM-MPU-6000A-00 rev 4.2 (§4.17 accelerometer, §4.18 temperature, §4.19 gyroscope), which match
 * the Product Specification PS-MPU-6000A-00 rev 3.4 §6.1 and §6.2.
 */

/** Standard gravity, m/s² (CGPM 1901; the "g" of the accelerometer's LSB/g). */
export const STANDARD_GRAVITY_MPS2 = 9.80665

export type AccelFullScaleG = 2 | 4 | 8 | 16
export type GyroFullScaleDps = 250 | 500 | 1000 | 2000

/** §4.17 AFS_SEL table: sensitivity, LSB/g, by full-scale range. */
export const ACCEL_LSB_PER_G: Readonly<Record<AccelFullScaleG, number>> = { 2: 16384, 4: 8192, 8: 4096, 16: 2048 }
/** §4.19 FS_SEL table: sensitivity, LSB/(°/s), by full-scale range. */
export const GYRO_LSB_PER_DPS: Readonly<Record<GyroFullScaleDps, number>> = { 250: 131, 500: 65.5, 1000: 32.8, 2000: 16.4 }

/** The AFS_SEL / FS_SEL field value of a full-scale range (the tables' row index). */
export const ACCEL_FS_SEL: Readonly<Record<AccelFullScaleG, number>> = { 2: 0, 4: 1, 8: 2, 16: 3 }
export const GYRO_FS_SEL: Readonly<Record<GyroFullScaleDps, number>> = { 250: 0, 500: 1, 1000: 2, 2000: 3 }

/** PS-MPU-6000A-00 §6.3: the temperature sensor's range, °C. */
export const TEMPERATURE_MIN_C = -40
export const TEMPERATURE_MAX_C = 85

export interface RawMotion {
  readonly accel: readonly [number, number, number]
  readonly temperature: number
  readonly gyro: readonly [number, number, number]
}

/** The 14 bytes from ACCEL_XOUT_H: seven big-endian two's-complement words (§4.17..§4.19). */
export function parseMotion(bytes: Uint8Array): RawMotion {
  if (bytes.length < 14) throw new RangeError(`motion block needs 14 bytes, got ${bytes.length}`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const word = (index: number): number => view.getInt16(index * 2)
  return { accel: [word(0), word(1), word(2)], temperature: word(3), gyro: [word(4), word(5), word(6)] }
}

export function accelToMps2(raw: number, fullScaleG: AccelFullScaleG): number {
  return (raw / ACCEL_LSB_PER_G[fullScaleG]) * STANDARD_GRAVITY_MPS2
}

export function gyroToDps(raw: number, fullScaleDps: GyroFullScaleDps): number {
  return raw / GYRO_LSB_PER_DPS[fullScaleDps]
}

/** §4.18: "Temperature in degrees C = (TEMP_OUT Register Value as a signed quantity)/340 + 36.53". */
export function temperatureToC(raw: number): number {
  return raw / 340 + 36.53
}

export interface Motion {
  readonly quality: Quality
  readonly fault?: string
  readonly accelXMps2: number
  readonly accelYMps2: number
  readonly accelZMps2: number
  readonly gyroXDps: number
  readonly gyroYDps: number
  readonly gyroZDps: number
  readonly temperatureC: number
}

/** A word at either end of int16 is a clipped axis: the true value lies beyond the full scale. */
const isSaturated = (raw: number): boolean => raw === -32768 || raw === 32767

/** Converts a raw block; a clipped axis or a temperature outside -40..85 °C makes it 'out-of-range'. */
export function convertMotion(raw: RawMotion, accelFullScaleG: AccelFullScaleG, gyroFullScaleDps: GyroFullScaleDps): Motion {
  const [ax, ay, az] = raw.accel
  const [gx, gy, gz] = raw.gyro
  const temperatureC = temperatureToC(raw.temperature)
  const outOfRange = [...raw.accel, ...raw.gyro].some(isSaturated) || temperatureC < TEMPERATURE_MIN_C || temperatureC > TEMPERATURE_MAX_C
  return {
    quality: outOfRange ? 'fault' : 'good',
    ...(outOfRange ? { fault: 'out-of-range' } : {}),
    accelXMps2: accelToMps2(ax, accelFullScaleG),
    accelYMps2: accelToMps2(ay, accelFullScaleG),
    accelZMps2: accelToMps2(az, accelFullScaleG),
    gyroXDps: gyroToDps(gx, gyroFullScaleDps),
    gyroYDps: gyroToDps(gy, gyroFullScaleDps),
    gyroZDps: gyroToDps(gz, gyroFullScaleDps),
    temperatureC,
  }
}
