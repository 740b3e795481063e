import type { Clock } from '../../hal/clock.ts'
import type { SimI2cChip } from '../sim-i2c-bus.ts'

/**
 * A register-level TI ADS1115 (datasheet SBAS444) for SimI2cBus: an address pointer register
 * (the first byte of a write) selects one of four 16-bit registers, written and read MSB first.
 *
 * Modelled: the conversion, config, Lo_thresh and Hi_thresh registers with their reset values;
 * single-shot conversions ("Single-Shot Mode"): writing OS = 1 from power-down starts one, OS reads
 * 0 until it is done and 1 after, and the result lands in the conversion register when it
 * completes, 1/DR after the start on the clock given to the constructor (times `slowdown`, to act
 * out the ±10 % data-rate variation or worse); every MUX setting, single-ended and differential;
 * every PGA range, with codes saturating at 0x7FFF / 0x8000. Simplified: in continuous mode every
 * read of the conversion register converts the inputs at that moment; the comparator and the
 * ALERT/RDY pin are not modelled. A pointer with reserved bits set is a test bug: RangeError.
 */

export interface SimAds1115Options {
  /** Conversion time as a multiple of 1/DR. Default 1 (the nominal data rate). */
  readonly slowdown?: number
}

const POINTER = { CONVERSION: 0b00, CONFIG: 0b01, LO_THRESH: 0b10, HI_THRESH: 0b11 } as const
const OS = 1 << 15
const MODE_SINGLE_SHOT = 1 << 8
/** Reset values: config 0x8583, Lo_thresh 0x8000, Hi_thresh 0x7FFF. */
const RESET = { CONFIG: 0x8583, LO_THRESH: 0x8000, HI_THRESH: 0x7fff } as const
/** PGA[2:0] → ±FSR in V (110 and 111 are ±0.256 V as well). */
const FSR_V = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256] as const
/** DR[2:0] → samples per second. */
const RATE_SPS = [8, 16, 32, 64, 128, 250, 475, 860] as const
/** MUX[2:0] → [positive input, negative input]; -1 is GND. */
const MUX_INPUTS: readonly (readonly [number, number])[] = [[0, 1], [0, 3], [1, 3], [2, 3], [0, -1], [1, -1], [2, -1], [3, -1]]

export class SimAds1115 implements SimI2cChip {
  readonly address: number
  readonly #clock: Clock
  readonly #slowdown: number
  readonly #inputsV = [0, 0, 0, 0]
  #pointer: number = POINTER.CONVERSION
  /** Config bits 14:0 as written; OS is status, computed on read. */
  #config = RESET.CONFIG & ~OS
  #loThresh: number = RESET.LO_THRESH
  #hiThresh: number = RESET.HI_THRESH
  #conversion = 0x0000
  #pending: { readonly doneAtMs: number; readonly code: number } | undefined

  constructor(address: number, clock: Clock, options: SimAds1115Options = {}) {
    this.address = address
    this.#clock = clock
    this.#slowdown = options.slowdown ?? 1
  }

  /** The voltage at AINx against GND; conversions that start from now on see it. */
  setInputVoltage(channel: 0 | 1 | 2 | 3, volts: number): void {
    if (!Number.isFinite(volts)) throw new RangeError(`SimAds1115.setInputVoltage: not a finite voltage: ${volts}`)
    this.#inputsV[channel] = volts
  }

  onWrite(bytes: Uint8Array): void {
    if (bytes.length === 0) return
    const pointer = bytes[0]!
    if (pointer > POINTER.HI_THRESH) throw new RangeError(`SimAds1115: pointer 0x${pointer.toString(16)} has reserved bits set`)
    this.#pointer = pointer
    if (bytes.length < 3) return
    const word = (bytes[1]! << 8) | bytes[2]!
    if (pointer === POINTER.CONFIG) this.#writeConfig(word)
    else if (pointer === POINTER.LO_THRESH) this.#loThresh = word
    else if (pointer === POINTER.HI_THRESH) this.#hiThresh = word
    // The conversion register is read-only.
  }

  onRead(length: number): Uint8Array {
    const word = this.#pointedWord()
    return Uint8Array.from({ length }, (_, i) => (i % 2 === 0 ? word >> 8 : word & 0xff))
  }

  #writeConfig(word: number): void {
    this.#config = word & ~OS
    const start = (word & OS) !== 0 && (word & MODE_SINGLE_SHOT) !== 0 && !this.#converting()
    if (!start) return
    const rateSps = RATE_SPS[(word >> 5) & 0b111]!
    this.#pending = { doneAtMs: this.#clock.now() + (1000 / rateSps) * this.#slowdown, code: this.#convertNow() }
  }

  #pointedWord(): number {
    switch (this.#pointer) {
      case POINTER.CONFIG:
        return this.#config | (this.#converting() ? 0 : OS)
      case POINTER.LO_THRESH:
        return this.#loThresh
      case POINTER.HI_THRESH:
        return this.#hiThresh
      default:
        if ((this.#config & MODE_SINGLE_SHOT) === 0) return this.#convertNow()
        this.#converting()
        return this.#conversion
    }
  }

  /** Whether a single-shot conversion is still running; a finished one moves into the register. */
  #converting(): boolean {
    if (this.#pending === undefined) return false
    if (this.#clock.now() < this.#pending.doneAtMs) return true
    this.#conversion = this.#pending.code
    this.#pending = undefined
    return false
  }

  /**
   * The output-code table run backwards: code = V_in / LSB with LSB = FSR / 2^15, rounded to the
   * nearest code and saturated at 0x7FFF (≥ +FS·(2^15 − 1)/2^15) and 0x8000 (≤ −FS).
   */
  #convertNow(): number {
    const [positive, negative] = MUX_INPUTS[(this.#config >> 12) & 0b111]!
    const inputV = this.#inputsV[positive]! - (negative < 0 ? 0 : this.#inputsV[negative]!)
    const fullScaleV = FSR_V[(this.#config >> 9) & 0b111]!
    const code = Math.min(0x7fff, Math.max(-0x8000, Math.round((inputV * 32768) / fullScaleV)))
    return code & 0xffff
  }
}
