import * as z from 'zod'
import { MIN_TIMING_BUDGET_US } from './timing.ts'

/**
 * Board-file settings of a VL53L0X (`"settings": {…}` on the device). Every field is optional.
 * - timingBudgetMs: time allowed for one measurement. Pololu VL53L0X.cpp: "Defaults to about 33
 *   milliseconds; the minimum is 20 ms"; a longer budget lowers the standard deviation by
 *   sqrt(N). The upper bound keeps the final-range MCLK count inside the API's 16-bit arithmetic.
 * - signalRateLimitMcps: weakest return that still counts as a target, MCPS (API default 0.25;
 *   Q9.7 register, 0..511.99). Lower reaches further but takes in more stray reflections.
 * - io2v8: the breakout runs its I/O at 2.8 V (most boards, Pololu's and Adafruit's included:
 *   Pololu init() defaults to true); false keeps the chip's 1.8 V default.
 */
export const vl53l0xSettings = z.strictObject({
  timingBudgetMs: z.number().int().min(MIN_TIMING_BUDGET_US / 1000).max(1000).default(33),
  signalRateLimitMcps: z.number().min(0).max(511.99).default(0.25),
  io2v8: z.boolean().default(true),
})

export type Vl53l0xSettings = z.output<typeof vl53l0xSettings>

/** Settings with defaults filled in; a value the schema refuses throws RangeError naming it. */
export function resolveVl53l0xSettings(input: Partial<Vl53l0xSettings> = {}): Vl53l0xSettings {
  const parsed = vl53l0xSettings.safeParse(input)
  if (!parsed.success) {
    throw new RangeError(`vl53l0x settings: ${parsed.error.issues.map(issue => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`)
  }
  return parsed.data
}
