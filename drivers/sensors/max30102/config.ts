import {
  ADC_RESOLUTION_BITS,
  BIT,
  LED_PA_MAX_MA,
  LED_PA_STEP_MA,
  LED_PW_CODE,
  MODE,
  SHIFT,
  SMP_AVE_CODE,
  SPO2_ADC_RGE_CODE,
  SPO2_SR_CODE,
} from './registers.ts'

/** 'heart-rate': red LED only (MODE 0b010); 'spo2': red and IR (MODE 0b011). */
export type Max30102Mode = 'heart-rate' | 'spo2'

/** How the driver configures the part; every field is a datasheet choice except `windowMs`. */
export interface Max30102Config {
  readonly mode: Max30102Mode
  readonly sampleRateSps: keyof typeof SPO2_SR_CODE
  readonly pulseWidthUs: keyof typeof LED_PW_CODE
  readonly adcRangeNa: keyof typeof SPO2_ADC_RGE_CODE
  readonly sampleAveraging: keyof typeof SMP_AVE_CODE
  readonly redLedCurrentMa: number
  readonly irLedCurrentMa: number
  /** Length of the analysis window, ms (ppg-estimator.ts). */
  readonly windowMs: number
}

export const DEFAULT_CONFIG: Max30102Config = {
  mode: 'spo2',
  sampleRateSps: 100,
  pulseWidthUs: 411,
  adcRangeNa: 4096,
  sampleAveraging: 1,
  redLedCurrentMa: 7,
  irLedCurrentMa: 7,
  windowMs: 4000,
}

/**
 * Highest sample rate each pulse width allows, sps: the datasheet's "SpO2 Mode (Allowed
 * Settings)" and "HR Mode (Allowed Settings)" tables (a conversion of each LED must fit in one
 * sample period). Cross-checked against eldruin/max3010x-rs config/common.rs.
 */
const MAX_SAMPLE_RATE_SPS: Readonly<Record<Max30102Mode, Readonly<Record<keyof typeof LED_PW_CODE, number>>>> = {
  spo2: { 69: 1600, 118: 1000, 215: 800, 411: 400 },
  'heart-rate': { 69: 3200, 118: 1600, 215: 1600, 411: 1000 },
}

/** Shortest analysis window that still holds two beat intervals at 60 bpm, ms. */
export const MIN_WINDOW_MS = 3000
export const MAX_WINDOW_MS = 10000
/**
 * Slowest FIFO rate the pulse analysis accepts, Hz: its 8 Hz low-pass needs more than 16 Hz
 * (Nyquist), and 20 Hz keeps beat timing to 50 ms steps before interpolation (ppg-estimator.ts).
 */
export const MIN_OUTPUT_RATE_HZ = 20

/** What is wrong with a configuration, one sentence per problem, with the field first. */
export function configProblems(config: Max30102Config): string[] {
  const problems: string[] = []
  const maxSps = MAX_SAMPLE_RATE_SPS[config.mode][config.pulseWidthUs]
  if (config.sampleRateSps > maxSps) {
    problems.push(`sampleRateSps: ${config.sampleRateSps} sps is too fast for a ${config.pulseWidthUs} µs pulse in ${config.mode} mode (at most ${maxSps} sps)`)
  }
  if (outputRateHz(config) < MIN_OUTPUT_RATE_HZ) {
    problems.push(`sampleAveraging: ${config.sampleRateSps} sps averaged ${config.sampleAveraging}× is ${outputRateHz(config)} samples/s, below the ${MIN_OUTPUT_RATE_HZ} the pulse analysis needs`)
  }
  for (const field of ['redLedCurrentMa', 'irLedCurrentMa'] as const) {
    const currentMa = config[field]
    if (!(currentMa >= 0 && currentMa <= LED_PA_MAX_MA)) problems.push(`${field}: must be 0..${LED_PA_MAX_MA} mA, got ${currentMa}`)
  }
  if (!(config.windowMs >= MIN_WINDOW_MS && config.windowMs <= MAX_WINDOW_MS)) {
    problems.push(`windowMs: must be ${MIN_WINDOW_MS}..${MAX_WINDOW_MS}, got ${config.windowMs}`)
  }
  return problems
}

/** FIFO_CONFIG: averaging; rollover off, so a full FIFO keeps its oldest data and counts losses; A_FULL at 0 free slots. */
export function fifoConfigByte(config: Max30102Config): number {
  return (SMP_AVE_CODE[config.sampleAveraging] << SHIFT.SMP_AVE) | (0 << SHIFT.FIFO_A_FULL)
}

export function spo2ConfigByte(config: Max30102Config): number {
  return (
    (SPO2_ADC_RGE_CODE[config.adcRangeNa] << SHIFT.SPO2_ADC_RGE) |
    (SPO2_SR_CODE[config.sampleRateSps] << SHIFT.SPO2_SR) |
    (LED_PW_CODE[config.pulseWidthUs] << SHIFT.LED_PW)
  )
}

/** LEDx_PA code for a current, mA (0.2 mA per step, rounded to the nearest step). */
export function ledPulseAmplitude(currentMa: number): number {
  return Math.min(0xff, Math.round(currentMa / LED_PA_STEP_MA))
}

export function modeByte(mode: Max30102Mode): number {
  return mode === 'spo2' ? MODE.SPO2 : MODE.HEART_RATE
}

export const RESET_BYTE = BIT.RESET
export const SHUTDOWN_BYTE = BIT.SHDN

/** LEDs in each FIFO sample: 1 in heart-rate mode, 2 (red then IR) in SpO2 mode. */
export function ledCount(mode: Max30102Mode): 1 | 2 {
  return mode === 'spo2' ? 2 : 1
}

export function resolutionBits(config: Max30102Config): number {
  return ADC_RESOLUTION_BITS[config.pulseWidthUs]
}

/** FIFO samples per second: the ADC rate divided by the on-chip averaging (FIFO_CONFIG SMP_AVE). */
export function outputRateHz(config: Max30102Config): number {
  return config.sampleRateSps / config.sampleAveraging
}
