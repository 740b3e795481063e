import * as z from 'zod'
import { DATA_RATES_SPS, FULL_SCALE_RANGES_V } from './registers.ts'

/** A channel: AIN0..AIN3, measured single-ended against GND. */
export type Ads1115Channel = 0 | 1 | 2 | 3

/** An ADS1115's settings in a board file. */
export const ads1115Settings = z.strictObject({
  channels: z
    .array(z.literal([0, 1, 2, 3]))
    .min(1)
    .refine(channels => new Set(channels).size === channels.length, 'each channel at most once')
    .default([0, 1, 2, 3])
    .describe('inputs to convert, single-ended against GND: 0 = AIN0 … 3 = AIN3'),
  fullScaleRangeV: z
    .literal(FULL_SCALE_RANGES_V)
    .default(4.096)
    .describe('PGA full-scale range ±V; inputs must still stay within GND − 0.3 V … VDD + 0.3 V'),
  dataRateSps: z.literal(DATA_RATES_SPS).default(128).describe('data rate, samples per second: a conversion takes 1/rate'),
})

export type Ads1115Settings = z.infer<typeof ads1115Settings>

export const DEFAULT_ADS1115_SETTINGS: Ads1115Settings = ads1115Settings.parse({})
