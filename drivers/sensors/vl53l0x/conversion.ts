import type { Quality } from '../sensor.ts'
import { DEVICE_STATUS, RANGE_STATUS_MASK, RANGE_STATUS_SHIFT } from './registers.ts'

/**
 * Result decoding, pure. Layout of the 12 bytes from RESULT_RANGE_STATUS (0x14), as ST's API
 * VL53L0X_GetRangingMeasurementData reads them: [0] device range status, [2..3] effective SPAD
 * return count (8.8), [6..7] return signal rate (Q9.7 MCPS), [8..9] ambient rate (Q9.7 MCPS),
 * [10..11] range in mm. Multi-byte fields are big-endian.
 */
export const RESULT_LENGTH = 12

export interface RangeResult {
  /** VL53L0X_DEVICEERROR_* code: 11 is a complete range. */
  readonly deviceStatus: number
  readonly signalRateMcps: number
  readonly ambientRateMcps: number
  readonly rangeMm: number
}

export function parseRangeResult(bytes: Uint8Array): RangeResult {
  if (bytes.length < RESULT_LENGTH) throw new RangeError(`range result needs ${RESULT_LENGTH} bytes, got ${bytes.length}`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return {
    deviceStatus: (view.getUint8(0) & RANGE_STATUS_MASK) >> RANGE_STATUS_SHIFT,
    signalRateMcps: fromQ9_7(view.getUint16(6)),
    ambientRateMcps: fromQ9_7(view.getUint16(8)),
    rangeMm: view.getUint16(10),
  }
}

/** Q9.7 fixed point (9 integer, 7 fraction bits): the format of the chip's rates and rate limits. */
export function fromQ9_7(raw: number): number {
  return raw / 128
}

/** MCPS to Q9.7, rounded to the nearest step; 0..511.99 fits in 16 bits. */
export function toQ9_7(mcps: number): number {
  if (!(mcps >= 0 && mcps < 512)) throw new RangeError(`signal rate ${mcps} MCPS is outside 0..511.99 (Q9.7)`)
  return Math.min(0xffff, Math.round(mcps * 128))
}

/**
 * The plausible range. 2 m is the datasheet's (DocID029104 features: "measures absolute range up
 * to 2 m"). 30 mm is edgert's floor for a trustworthy range, not a datasheet figure. A complete
 * range outside these bounds is flagged, not dropped.
 */
export const DISTANCE_MIN_M = 0.03
export const DISTANCE_MAX_M = 2

/** Fault names for the device range status codes, after vl53l0x_device.h VL53L0X_DEVICEERROR_*. */
const STATUS_FAULTS: Readonly<Record<number, string>> = {
  [DEVICE_STATUS.NONE]: 'no-update',
  1: 'vcsel-continuity',
  2: 'vcsel-watchdog',
  3: 'no-vhv-value',
  [DEVICE_STATUS.MSRC_NO_TARGET]: 'no-target',
  5: 'snr-check',
  6: 'range-phase-check',
  7: 'sigma-threshold',
  8: 'tcc',
  9: 'phase-consistency',
  10: 'min-clip',
  12: 'algo-underflow',
  13: 'algo-overflow',
  14: 'range-ignore-threshold',
}

export interface DistanceJudgement {
  readonly quality: Quality
  readonly fault?: string
  /** NaN when the chip measured no range (any status but "range complete"). */
  readonly distanceM: number
}

/** A decoded result as a distance and a quality: only "range complete" inside 0.03..2 m is good. */
export function judgeRange(result: RangeResult): DistanceJudgement {
  if (result.deviceStatus !== DEVICE_STATUS.RANGE_COMPLETE) {
    return { quality: 'fault', fault: STATUS_FAULTS[result.deviceStatus] ?? `range-status-${result.deviceStatus}`, distanceM: Number.NaN }
  }
  const distanceM = result.rangeMm / 1000
  if (distanceM < DISTANCE_MIN_M || distanceM > DISTANCE_MAX_M) return { quality: 'fault', fault: 'out-of-range', distanceM }
  return { quality: 'good', distanceM }
}
