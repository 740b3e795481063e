/**
 * Measurement timing budget arithmetic, pure. The formulas are ST's API
 * (vl53l0x_api_core.c: calc_macro_period_ps, calc_timeout_us, calc_timeout_mclks,
 * encode_timeout/decode_timeout, set_measurement_timing_budget_micro_seconds) as Pololu's
 * VL53L0X.cpp states them in integer form; integer division is written as Math.floor and every
 * intermediate stays far below 2^53.
 */

/** API VL53L0X_calc_macro_period_ps: PLL period 1655 ps, 2304 VCSEL clocks per macro period. */
const PLL_PERIOD_PS = 1655
const MACRO_PERIOD_VCLKS = 2304

/**
 * Overheads of the ranging sequence steps, µs (API set_measurement_timing_budget: the set
 * function's start overhead is 1320, not the 1910 of its get counterpart; Pololu notes it too).
 */
const OVERHEAD_US = { start: 1320, end: 960, msrc: 660, tcc: 590, dss: 690, preRange: 660, finalRange: 550 } as const

/** API VL53L0X_set_measurement_timing_budget_micro_seconds refuses budgets below 20 ms. */
export const MIN_TIMING_BUDGET_US = 20_000

/** Which steps SYSTEM_SEQUENCE_CONFIG enables (API VL53L0X_GetSequenceStepEnables bit positions). */
export interface SequenceSteps {
  readonly tcc: boolean
  readonly dss: boolean
  readonly msrc: boolean
  readonly preRange: boolean
  readonly finalRange: boolean
}

export function decodeSequenceSteps(sequenceConfig: number): SequenceSteps {
  return {
    tcc: (sequenceConfig & 0x10) !== 0,
    dss: (sequenceConfig & 0x08) !== 0,
    msrc: (sequenceConfig & 0x04) !== 0,
    preRange: (sequenceConfig & 0x40) !== 0,
    finalRange: (sequenceConfig & 0x80) !== 0,
  }
}

/** VCSEL pulse period in PCLKs from its register (API VL53L0X_decode_vcsel_period: (reg + 1) << 1). */
export function decodeVcselPeriodPclks(register: number): number {
  return (register + 1) * 2
}

/** Macro period, ns, for a VCSEL period (rounded as the API does). */
export function macroPeriodNs(vcselPeriodPclks: number): number {
  return Math.floor((MACRO_PERIOD_VCLKS * vcselPeriodPclks * PLL_PERIOD_PS + 500) / 1000)
}

export function timeoutMclksToUs(timeoutMclks: number, vcselPeriodPclks: number): number {
  const periodNs = macroPeriodNs(vcselPeriodPclks)
  return Math.floor((timeoutMclks * periodNs + Math.floor(periodNs / 2)) / 1000)
}

export function timeoutUsToMclks(timeoutUs: number, vcselPeriodPclks: number): number {
  const periodNs = macroPeriodNs(vcselPeriodPclks)
  return Math.floor((timeoutUs * 1000 + Math.floor(periodNs / 2)) / periodNs)
}

/** A 16-bit timeout register to MCLKs; the API's format is "(LSByte * 2^MSByte) + 1". */
export function decodeTimeout(register: number): number {
  return (register & 0xff) * 2 ** (register >> 8) + 1
}

/** MCLKs to the "(LSByte * 2^MSByte) + 1" register format, rounding down as the API does. */
export function encodeTimeout(timeoutMclks: number): number {
  if (timeoutMclks <= 0) return 0
  let lsByte = timeoutMclks - 1
  let msByte = 0
  while (lsByte > 0xff) {
    lsByte = Math.floor(lsByte / 2)
    msByte++
  }
  return (msByte << 8) | lsByte
}

/** What the budget arithmetic reads back from the chip. */
export interface SequenceTimeouts {
  readonly preRangeVcselPclks: number
  readonly finalRangeVcselPclks: number
  /** MSRC_CONFIG_TIMEOUT_MACROP + 1: the MSRC / DSS / TCC timeout, MCLKs. */
  readonly msrcDssTccMclks: number
  /** decodeTimeout(PRE_RANGE_CONFIG_TIMEOUT_MACROP). */
  readonly preRangeMclks: number
}

/**
 * The FINAL_RANGE_CONFIG_TIMEOUT_MACROP value that gives the sequence a budget of `budgetUs`
 * (API set_measurement_timing_budget: what the enabled steps leave goes to the final range, and
 * the final range counts the pre-range in its MCLKs). Undefined when the fixed steps alone take
 * more than the budget, or the sequence has no final range.
 */
export function finalRangeTimeoutRegister(budgetUs: number, steps: SequenceSteps, timeouts: SequenceTimeouts): number | undefined {
  const msrcUs = timeoutMclksToUs(timeouts.msrcDssTccMclks, timeouts.preRangeVcselPclks)
  const preRangeUs = timeoutMclksToUs(timeouts.preRangeMclks, timeouts.preRangeVcselPclks)
  let usedUs = OVERHEAD_US.start + OVERHEAD_US.end
  if (steps.tcc) usedUs += msrcUs + OVERHEAD_US.tcc
  if (steps.dss) usedUs += 2 * (msrcUs + OVERHEAD_US.dss)
  else if (steps.msrc) usedUs += msrcUs + OVERHEAD_US.msrc
  if (steps.preRange) usedUs += preRangeUs + OVERHEAD_US.preRange
  if (!steps.finalRange) return undefined
  usedUs += OVERHEAD_US.finalRange
  if (usedUs > budgetUs) return undefined
  let finalMclks = timeoutUsToMclks(budgetUs - usedUs, timeouts.finalRangeVcselPclks)
  if (steps.preRange) finalMclks += timeouts.preRangeMclks
  return encodeTimeout(finalMclks)
}
