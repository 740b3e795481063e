import * as z from 'zod'
import { FRAME_RATE_HZ } from './protocol.ts'

/** How many frame periods sample() waits for a new frame by default before it gives up. */
export const DEFAULT_FRAME_PERIODS_OF_AGE = 3

/** A TF-Luna's settings in a board file's device entry. */
export const tfLunaSettings = z.strictObject({
  frameRateHz: z
    .number()
    .int()
    .min(FRAME_RATE_HZ.MIN)
    .max(FRAME_RATE_HZ.MAX)
    .default(FRAME_RATE_HZ.DEFAULT)
    .describe('frames per second the sensor sends, 1..250; it uses 500/n Hz, e.g. 250, 125, 100, 50 (manual A03 §5.5, A05 Appendix II.3)'),
  maxFrameAgeMs: z
    .number()
    .positive()
    .optional()
    .describe('how long sample() waits for a frame newer than the previous sample before it rejects with timeout, ms; default 3 frame periods'),
})

export type TfLunaSettings = z.infer<typeof tfLunaSettings>

export const DEFAULT_TF_LUNA_SETTINGS: TfLunaSettings = tfLunaSettings.parse({})

/** The wait sample() allows, ms. */
export function maxFrameAgeMsOf(settings: TfLunaSettings): number {
  return settings.maxFrameAgeMs ?? (DEFAULT_FRAME_PERIODS_OF_AGE * 1000) / settings.frameRateHz
}
