import type { Clock } from '../../hal/clock.ts'
import { RegisterChip } from '../register-chip.ts'

/**
 * Register addresses the model gives behaviour to, written here from ST's API register list
 * (vl53l0x_device.h, as in Pololu VL53L0X.h), not taken from the driver, so that a wrong
 * address in the driver shows up as a wrong answer.
 */
const R = {
  SYSRANGE_START: 0x00,
  SYSTEM_SEQUENCE_CONFIG: 0x01,
  SYSTEM_INTERRUPT_CLEAR: 0x0b,
  RESULT_INTERRUPT_STATUS: 0x13,
  RESULT_RANGE_STATUS: 0x14,
  FINAL_RANGE_MIN_COUNT_RATE_RTN_LIMIT: 0x44,
  PRE_RANGE_TIMEOUT_MACROP_HI: 0x51,
  SPAD_ENABLES_REF_0: 0xb0,
  MODEL_ID: 0xc0,
  PAGE: 0xff,
} as const

/** Page 1: stop variable. Page 7: NVM strobe (0x83), address (0x94), data (0x90..0x93). */
const STOP_VARIABLE = 0x91
const NVM_STROBE = 0x83
const NVM_ADDRESS = 0x94
const NVM_SPAD_INFO_WORD = 0x6b
const NVM_SPAD_INFO_BYTE = 0x92

/** vl53l0x_device.h VL53L0X_DEVICEERROR_*: status in RESULT_RANGE_STATUS bits 6:3. */
const STATUS_MSRC_NO_TARGET = 4
const STATUS_RANGE_COMPLETE = 11
/** What the part reports for "no target" in the range field (pololu/vl53l0x-arduino issue #28: 8190). */
const NO_TARGET_RANGE_MM = 8190
/** RESULT_INTERRUPT_STATUS after a finished operation: new sample ready (GPIO config 0x04). */
const INTERRUPT_NEW_SAMPLE_READY = 0x04
/** Effective return SPAD count, 8.8 (not read by the driver; an arbitrary plausible 10 SPADs). */
const RETURN_SPADS_8_8 = 0x0a00

export interface SimVl53l0xOptions {
  readonly address?: number
  /** With a clock, a started operation finishes `rangingMs` of its time later; without, at once. */
  readonly clock?: Clock
  /** How long a measurement or calibration run takes, ms. Default 30 (about the default budget). */
  readonly rangingMs?: number
  /** This part's stop variable (page 1, reg 0x91): any byte; ST does not say what it means. */
  readonly stopVariable?: number
  /** NVM reference SPAD count (0..127) and type, and the factory SPAD map (GLOBAL_CONFIG_SPAD_ENABLES_REF_0..5). */
  readonly referenceSpadCount?: number
  readonly apertureSpads?: boolean
  readonly factorySpadMap?: readonly number[]
}

/**
 * A register-level VL53L0X (single-shot ranging only). It keeps one register file per page
 * (0xFF selects it), answers the identity registers of datasheet §3.2, hands out the stop
 * variable and the NVM SPAD info through pages 1 and 7, runs a started operation
 * (SYSRANGE_START bit 0) and raises RESULT_INTERRUPT_STATUS when it finishes, until
 * SYSTEM_INTERRUPT_CLEAR. A finished measurement loads the 12 result bytes at 0x14 from the
 * physical state: setDistance / setNoTarget / setSignalRate. A return below the signal-rate
 * limit the host wrote (0x44, Q9.7) reads as "no target", as the chip's final-range check does.
 * Continuous modes (SYSRANGE_START 0x02, 0x04) are not modelled.
 */
export class SimVl53l0x extends RegisterChip {
  readonly #clock: Clock | undefined
  readonly #rangingMs: number
  readonly #pages = new Map<number, Uint8Array>()
  readonly #spadInfo: number
  #page = 0
  #pending: { readyAtMs: number; ranging: boolean } | undefined
  #distanceMm: number | undefined = 500
  #signalRateMcps = 5
  #stalled = false

  constructor(options: SimVl53l0xOptions = {}) {
    super(options.address ?? 0x29)
    this.#clock = options.clock
    this.#rangingMs = options.rangingMs ?? 30
    const count = options.referenceSpadCount ?? 5
    if (!Number.isInteger(count) || count < 0 || count > 0x7f) throw new RangeError(`referenceSpadCount must be 0..127, got ${count}`)
    this.#spadInfo = ((options.apertureSpads ?? true) ? 0x80 : 0) | count
    // Datasheet §3.2 reference registers: 0xC0 = 0xEE, 0xC1 = 0xAA, 0xC2 = 0x10, 0x51 = 0x0099, 0x61 = 0x0000.
    this.registers.set([0xee, 0xaa, 0x10], R.MODEL_ID)
    this.registers.set([0x00, 0x99], R.PRE_RANGE_TIMEOUT_MACROP_HI)
    this.registers.set(options.factorySpadMap ?? [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], R.SPAD_ENABLES_REF_0)
    this.#file(1)[STOP_VARIABLE] = options.stopVariable ?? 0x3c
  }

  /** A target at `distanceM` (0..8.19 m): the next measurement reports it as a complete range. */
  setDistance(distanceM: number): void {
    if (!(distanceM >= 0 && distanceM <= 8.19)) throw new RangeError(`distanceM must be 0..8.19, got ${distanceM}`)
    this.#distanceMm = Math.round(distanceM * 1000)
  }

  /** Nothing in the field of view: the next measurement reports MSRC no-target (device status 4). */
  setNoTarget(): void {
    this.#distanceMm = undefined
  }

  /** The return signal rate of the target, MCPS (Q9.7 in the result: 0..511.99). */
  setSignalRate(mcps: number): void {
    if (!(mcps >= 0 && mcps < 512)) throw new RangeError(`signal rate must be 0..511.99 MCPS, got ${mcps}`)
    this.#signalRateMcps = mcps
  }

  /** The ranging core stops: a start is never taken and nothing finishes (the part still answers the bus). */
  stall(): void {
    this.#stalled = true
  }

  resume(): void {
    this.#stalled = false
  }

  protected override writeRegister(register: number, value: number): void {
    if (register === R.PAGE) {
      this.#page = value
    } else if (this.#page !== 0) {
      this.#file(this.#page)[register] = value
      if (this.#page === 7 && register === NVM_STROBE && value === 0) this.#readNvm()
    } else if (register === R.SYSRANGE_START) {
      this.#start(value)
    } else if (register === R.SYSTEM_INTERRUPT_CLEAR) {
      if ((value & 0x01) !== 0) this.registers[R.RESULT_INTERRUPT_STATUS] = 0
    } else if (register < R.MODEL_ID || register > R.MODEL_ID + 2) {
      this.registers[register] = value
    }
  }

  protected override readRegister(register: number): number {
    if (register === R.PAGE) return this.#page
    if (this.#page !== 0) return this.#file(this.#page)[register]!
    if (register === R.RESULT_INTERRUPT_STATUS) this.#finishIfDue()
    return this.registers[register]!
  }

  #file(page: number): Uint8Array {
    let file = this.#pages.get(page)
    if (file === undefined) this.#pages.set(page, (file = new Uint8Array(256)))
    return file
  }

  /** Page 7: a strobe write of 0 with NVM word 0x6B selected loads the SPAD info and signals ready. */
  #readNvm(): void {
    const page7 = this.#file(7)
    if (page7[NVM_ADDRESS] !== NVM_SPAD_INFO_WORD) return
    page7[NVM_SPAD_INFO_BYTE] = this.#spadInfo
    page7[NVM_STROBE] = 0x01
  }

  #start(value: number): void {
    this.registers[R.SYSRANGE_START] = value
    if ((value & 0x01) === 0 || this.#stalled) return
    this.registers[R.SYSRANGE_START] = value & ~0x01
    // Sequence config 0x01 (VHV) or 0x02 (phase): a calibration run, no range result.
    const sequence = this.registers[R.SYSTEM_SEQUENCE_CONFIG]!
    this.#pending = { readyAtMs: (this.#clock?.now() ?? 0) + this.#rangingMs, ranging: sequence !== 0x01 && sequence !== 0x02 }
  }

  #finishIfDue(): void {
    const pending = this.#pending
    if (pending === undefined || this.#stalled) return
    if (this.#clock !== undefined && this.#clock.now() < pending.readyAtMs) return
    this.#pending = undefined
    if (pending.ranging) this.#loadResult()
    this.registers[R.RESULT_INTERRUPT_STATUS] = INTERRUPT_NEW_SAMPLE_READY
  }

  #loadResult(): void {
    const limitQ9_7 = (this.registers[R.FINAL_RANGE_MIN_COUNT_RATE_RTN_LIMIT]! << 8) | this.registers[R.FINAL_RANGE_MIN_COUNT_RATE_RTN_LIMIT + 1]!
    const signalQ9_7 = Math.min(0xffff, Math.round(this.#signalRateMcps * 128))
    const target = this.#distanceMm !== undefined && signalQ9_7 >= limitQ9_7
    const result = new DataView(this.registers.buffer, this.registers.byteOffset + R.RESULT_RANGE_STATUS, 12)
    result.setUint8(0, (target ? STATUS_RANGE_COMPLETE : STATUS_MSRC_NO_TARGET) << 3)
    result.setUint8(1, 0)
    result.setUint16(2, RETURN_SPADS_8_8)
    result.setUint16(4, 0)
    result.setUint16(6, target ? signalQ9_7 : 0)
    result.setUint16(8, 0)
    result.setUint16(10, target ? this.#distanceMm! : NO_TARGET_RANGE_MM)
  }
}
