import * as z from 'zod'
import { CONFIG } from './registers.ts'

/** A MAX30205's settings in a board file. */
export const max30205Settings = z.strictObject({
  extendedFormat: z
    .boolean()
    .default(false)
    .describe('extended data format: the register reads temperature − 64 °C, for temperatures above 128 °C (datasheet: temperature data format)'),
})

export type Max30205Settings = z.infer<typeof max30205Settings>

export const DEFAULT_MAX30205_SETTINGS: Max30205Settings = max30205Settings.parse({})

/**
 * The configuration the driver keeps: shutdown between one-shot conversions, comparator mode,
 * active-low OS, fault queue 1, bus timeout enabled (D6 = 0), and the chosen data format.
 */
export function configurationByte(settings: Max30205Settings): number {
  return CONFIG.SHUTDOWN | (settings.extendedFormat ? CONFIG.DATA_FORMAT : 0)
}
