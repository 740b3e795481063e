import { CODE, CONFIG, DATA_RATE_TOLERANCE, DATA_RATES_SPS, FULL_SCALE_RANGES_V, MUX_SINGLE_ENDED } from './registers.ts'
import type { Ads1115Channel, Ads1115Settings } from './settings.ts'

/**
 * ADS1115 conversions: output code to volts, and the config word that starts one. Pure.
 * Data format: a 16-bit two's complement code, MSB first; LSB = FSR / 2^15 (FSR and LSB size
 * table: 125 µV at ±4.096 V).
 */

/** The size of one code, V: 187.5 µV at ±6.144 V down to 7.8125 µV at ±0.256 V. */
export function lsbSizeV(fullScaleRangeV: number): number {
  return fullScaleRangeV / 32768
}

/** The conversion register's two bytes (MSB first) as a signed code. */
export function codeFromBytes(bytes: Uint8Array): number {
  if (bytes.length < 2) throw new RangeError(`an ADS1115 conversion is 2 bytes, got ${bytes.length}`)
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt16(0, false)
}

export function voltageFromCode(code: number, fullScaleRangeV: number): number {
  return code * lsbSizeV(fullScaleRangeV)
}

/** 0x7FFF and 0x8000 mean the input is at or beyond full scale: the true value is unknown. */
export function isFullScale(code: number): boolean {
  return code === CODE.POSITIVE_FULL_SCALE || code === CODE.NEGATIVE_FULL_SCALE
}

/** The config word for one single-shot conversion of `channel` against GND; `start` sets OS. */
export function configWord(channel: Ads1115Channel, settings: Ads1115Settings, start: boolean): number {
  const pga = FULL_SCALE_RANGES_V.indexOf(settings.fullScaleRangeV)
  const dataRate = DATA_RATES_SPS.indexOf(settings.dataRateSps)
  if (pga < 0 || dataRate < 0) throw new RangeError(`not an ADS1115 setting: ±${settings.fullScaleRangeV} V, ${settings.dataRateSps} SPS`)
  return (
    (start ? CONFIG.OS : 0) |
    (MUX_SINGLE_ENDED[channel] << CONFIG.MUX_SHIFT) |
    (pga << CONFIG.PGA_SHIFT) |
    CONFIG.MODE_SINGLE_SHOT |
    (dataRate << CONFIG.DR_SHIFT) |
    CONFIG.COMP_QUE_DISABLE
  )
}

/**
 * Whether a config read back holds what was written in bits 14:0 (OS is status, not the written bit).
 * Our words can never match a bus stuck high or low: they always have MUX[2] = 1 (single-ended),
 * MODE = 1 and COMP_MODE = COMP_POL = COMP_LAT = 0, so FFFFh (7FFFh under the mask) and 0000h differ.
 */
export function configKept(written: number, readBack: number): boolean {
  return (readBack & CONFIG.KEPT_MASK) === (written & CONFIG.KEPT_MASK)
}

/** How long to wait before the first OS check: one conversion (1/DR) plus the ±10 % data-rate variation. */
export function conversionWaitMs(dataRateSps: number): number {
  return Math.ceil((1000 / dataRateSps) * (1 + DATA_RATE_TOLERANCE))
}

/** The time one sample() takes with these settings: one conversion per channel. */
export function sampleTimeMs(settings: Ads1115Settings): number {
  return settings.channels.length * conversionWaitMs(settings.dataRateSps)
}
