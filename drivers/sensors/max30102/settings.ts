import * as z from 'zod'
import { configProblems, DEFAULT_CONFIG, MAX_WINDOW_MS, MIN_WINDOW_MS } from './config.ts'
import { LED_PA_MAX_MA } from './registers.ts'

/**
 * A board file's "settings" for a MAX30102 (README.md, "Settings"). Every field is optional;
 * combinations the datasheet does not allow (a pulse too long for the sample rate) are refused
 * when the board is loaded, with the field's path.
 */
export const max30102Settings = z
  .strictObject({
    mode: z.enum(['heart-rate', 'spo2']).default(DEFAULT_CONFIG.mode).describe("'spo2': red and IR LEDs (heart rate, SpO2); 'heart-rate': red LED only"),
    sampleRateSps: z.literal([50, 100, 200, 400, 800, 1000, 1600, 3200]).default(DEFAULT_CONFIG.sampleRateSps).describe('ADC samples per second (SPO2_SR)'),
    pulseWidthUs: z.literal([69, 118, 215, 411]).default(DEFAULT_CONFIG.pulseWidthUs).describe('LED pulse width, µs; sets the ADC resolution: 15, 16, 17, 18 bits'),
    adcRangeNa: z.literal([2048, 4096, 8192, 16384]).default(DEFAULT_CONFIG.adcRangeNa).describe('ADC full scale, nA (SPO2_ADC_RGE)'),
    sampleAveraging: z.literal([1, 2, 4, 8, 16, 32]).default(DEFAULT_CONFIG.sampleAveraging).describe('samples averaged on chip per FIFO sample (SMP_AVE)'),
    redLedCurrentMa: z.number().min(0).max(LED_PA_MAX_MA).default(DEFAULT_CONFIG.redLedCurrentMa).describe('red LED current, mA, 0.2 mA steps'),
    irLedCurrentMa: z.number().min(0).max(LED_PA_MAX_MA).default(DEFAULT_CONFIG.irLedCurrentMa).describe('IR LED current, mA, 0.2 mA steps (SpO2 mode)'),
    windowMs: z.number().int().min(MIN_WINDOW_MS).max(MAX_WINDOW_MS).default(DEFAULT_CONFIG.windowMs).describe('analysis window, ms'),
  })
  .superRefine((settings, context) => {
    for (const problem of configProblems(settings)) {
      const [field = '', ...message] = problem.split(': ')
      context.addIssue({ code: 'custom', path: [field], message: message.join(': ') })
    }
  })

export type Max30102Settings = z.output<typeof max30102Settings>
