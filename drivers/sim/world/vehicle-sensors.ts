import { STANDARD_GRAVITY_MPS2 } from './vehicle-physics.ts'
import type { Motion } from './targets.ts'

/** TF-Luna product manual: operating range 0.2–8 m (90 % reflectivity target). */
export const LIDAR_MIN_RANGE_M = 0.2
export const LIDAR_MAX_RANGE_M = 8

/** VL53L0X datasheet, features: ranging up to 2 m. */
export const TOF_MAX_RANGE_M = 2

/**
 * Illustrative, not from the datasheet: signal strength falling with the square of the distance
 * (a diffuse target), scaled so that the far end of the range still reads above 100, the level
 * under which the TF-Luna manual calls a reading unreliable, and capped below its overexposure
 * value (65535).
 */
const LIDAR_AMP_AT_1_M = 12_800
const LIDAR_AMP_MAX = 30_000

export interface LidarReading {
  readonly distanceM: number
  /** 0 when nothing is in range. */
  readonly signalAmp: number
}

/** What the LiDAR sees of an obstacle `gapM` ahead (null: none): out of range is max range, no signal. */
export function lidarReading(gapM: number | null): LidarReading {
  if (gapM === null || gapM > LIDAR_MAX_RANGE_M) return { distanceM: LIDAR_MAX_RANGE_M, signalAmp: 0 }
  const distanceM = Math.max(gapM, LIDAR_MIN_RANGE_M)
  return { distanceM, signalAmp: Math.min(LIDAR_AMP_MAX, Math.round(LIDAR_AMP_AT_1_M / distanceM ** 2)) }
}

/** The time-of-flight distance, or null (no target) at or beyond its range. */
export function tofReading(gapM: number | null): number | null {
  return gapM !== null && gapM < TOF_MAX_RANGE_M ? gapM : null
}

/**
 * An IMU mounted level with x along the direction of travel: it measures specific force, so x
 * is the longitudinal acceleration (negative when braking) and z reads +1 g at rest.
 */
export function imuMotion(longitudinalAccelMps2: number, temperatureC: number): Motion {
  return { accelMps2: [longitudinalAccelMps2, 0, STANDARD_GRAVITY_MPS2], gyroDps: [0, 0, 0], temperatureC }
}
