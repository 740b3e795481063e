import type { Clock } from '../../hal/clock.ts'
import { DriverError } from '../sensor.ts'
import {
  SPAD_INFO_ACKNOWLEDGE, SPAD_INFO_CLOSE, SPAD_INFO_END, SPAD_INFO_OPEN, SPAD_INFO_REQUEST,
  REFERENCE_SPAD_SETUP, STOP_VARIABLE_CLOSE, STOP_VARIABLE_OPEN,
} from './init-sequence.ts'
import { toQ9_7 } from './conversion.ts'
import { pollRegister } from './poll.ts'
import type { RegisterAccess } from './register-access.ts'
import {
  CHIP, GPIO_ACTIVE_HIGH_BIT, INTERRUPT_CLEAR, INTERRUPT_NEW_SAMPLE_READY, INTERRUPT_PENDING_MASK, IO_2V8_BIT,
  MSRC_DISABLE_LIMIT_CHECKS, NVM, REG, SEQUENCE, SYSRANGE,
} from './registers.ts'
import { parseSpadInfo, selectReferenceSpads, SPAD_MAP_BYTES } from './spads.ts'
import { decodeSequenceSteps, decodeTimeout, decodeVcselPeriodPclks, finalRangeTimeoutRegister } from './timing.ts'

/**
 * The steps of ST's VL53L0X_DataInit / StaticInit / PerformRefCalibration that the driver's
 * init() runs, in the API's order (Pololu begin() is the reference for the order). Each takes
 * the registers of one operation; the ones that toggle page 0xFF must run inside exclusive().
 */

/** DataInit: I/O level, I2C standard mode, the stop variable, limit checks, every step on. Returns the stop variable. */
export async function dataInit(access: RegisterAccess, io2v8: boolean): Promise<number> {
  if (io2v8) await access.update(REG.VHV_CONFIG_PAD_SCL_SDA__EXTSUP_HV, IO_2V8_BIT)
  await access.write(REG.I2C_MODE, 0x00)
  await access.writeAll(STOP_VARIABLE_OPEN)
  const stopVariable = await access.readU8(REG.STOP_VARIABLE)
  await access.writeAll(STOP_VARIABLE_CLOSE)
  await access.update(REG.MSRC_CONFIG_CONTROL, MSRC_DISABLE_LIMIT_CHECKS)
  await access.write(REG.SYSTEM_SEQUENCE_CONFIG, SEQUENCE.ALL)
  return stopVariable
}

/** The reference SPAD count and type, read from NVM through pages 6 and 7 (toggles 0xFF). */
export async function readSpadInfo(access: RegisterAccess, clock: Clock): Promise<{ count: number; aperture: boolean }> {
  await access.writeAll(SPAD_INFO_OPEN)
  await access.update(NVM.STROBE, NVM.PAGE6_STROBE_ENABLE)
  await access.writeAll(SPAD_INFO_REQUEST)
  await pollRegister(access, clock, NVM.STROBE, value => value !== 0, { chip: CHIP, operation: 'init', what: 'SPAD info read' })
  await access.writeAll(SPAD_INFO_ACKNOWLEDGE)
  const info = parseSpadInfo(await access.readU8(NVM.DATA_SPAD_INFO))
  await access.writeAll(SPAD_INFO_END)
  await access.update(NVM.STROBE, 0, NVM.PAGE6_STROBE_ENABLE)
  await access.writeAll(SPAD_INFO_CLOSE)
  return info
}

/** Enables the reference SPADs the NVM names, from the factory map (toggles 0xFF). */
export async function setReferenceSpads(access: RegisterAccess, info: { count: number; aperture: boolean }): Promise<void> {
  const factoryMap = await access.read(REG.GLOBAL_CONFIG_SPAD_ENABLES_REF_0, SPAD_MAP_BYTES)
  await access.writeAll(REFERENCE_SPAD_SETUP)
  await access.write(REG.GLOBAL_CONFIG_SPAD_ENABLES_REF_0, ...selectReferenceSpads(factoryMap, info.count, info.aperture))
}

/** FINAL_RANGE_CONFIG_MIN_COUNT_RATE_RTN_LIMIT, Q9.7 MCPS (API VL53L0X_SetLimitCheckValue). */
export async function setSignalRateLimit(access: RegisterAccess, limitMcps: number): Promise<void> {
  await access.writeU16(REG.FINAL_RANGE_CONFIG_MIN_COUNT_RATE_RTN_LIMIT, toQ9_7(limitMcps))
}

/** API VL53L0X_SetGpioConfig: interrupt on new sample ready, GPIO1 active low, interrupt cleared. */
export async function configureInterrupt(access: RegisterAccess): Promise<void> {
  await access.write(REG.SYSTEM_INTERRUPT_CONFIG_GPIO, INTERRUPT_NEW_SAMPLE_READY)
  await access.update(REG.GPIO_HV_MUX_ACTIVE_HIGH, 0, GPIO_ACTIVE_HIGH_BIT)
  await access.write(REG.SYSTEM_INTERRUPT_CLEAR, INTERRUPT_CLEAR)
}

/** Gives the ranging sequence (SEQUENCE.RANGING) a budget of `budgetMs`, from the step timeouts on the chip. */
export async function setTimingBudget(access: RegisterAccess, budgetMs: number): Promise<void> {
  const preRangeVcselPclks = decodeVcselPeriodPclks(await access.readU8(REG.PRE_RANGE_CONFIG_VCSEL_PERIOD))
  const timeouts = {
    preRangeVcselPclks,
    msrcDssTccMclks: (await access.readU8(REG.MSRC_CONFIG_TIMEOUT_MACROP)) + 1,
    preRangeMclks: decodeTimeout(await access.readU16(REG.PRE_RANGE_CONFIG_TIMEOUT_MACROP_HI)),
    finalRangeVcselPclks: decodeVcselPeriodPclks(await access.readU8(REG.FINAL_RANGE_CONFIG_VCSEL_PERIOD)),
  }
  const register = finalRangeTimeoutRegister(budgetMs * 1000, decodeSequenceSteps(SEQUENCE.RANGING), timeouts)
  if (register === undefined) {
    throw new DriverError(CHIP, 'init', 'usage', `timing budget ${budgetMs} ms leaves no time for the final range step`)
  }
  await access.writeU16(REG.FINAL_RANGE_CONFIG_TIMEOUT_MACROP_HI, register)
}

/**
 * One reference calibration run (API VL53L0X_perform_single_ref_calibration): only `sequence`
 * enabled, start, wait for the interrupt, clear it, stop. VHV passes SYSRANGE.VHV_INIT.
 */
export async function calibrate(access: RegisterAccess, clock: Clock, sequence: number, startBits: number, what: string): Promise<void> {
  await access.write(REG.SYSTEM_SEQUENCE_CONFIG, sequence)
  await access.write(REG.SYSRANGE_START, SYSRANGE.START_STOP | startBits)
  await pollRegister(access, clock, REG.RESULT_INTERRUPT_STATUS, isPending, { chip: CHIP, operation: 'init', what })
  await access.write(REG.SYSTEM_INTERRUPT_CLEAR, INTERRUPT_CLEAR)
  await access.write(REG.SYSRANGE_START, 0x00)
}

export const isPending = (interruptStatus: number): boolean => (interruptStatus & INTERRUPT_PENDING_MASK) !== 0
