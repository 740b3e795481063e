import type { Clock } from '../../hal/clock.ts'
import type { SimI2cChip } from '../sim-i2c-bus.ts'

/**
 * A register-level Maxim MAX30205 (datasheet 19-8505) for SimI2cBus. Unlike most sensors it is
 * not a register file: a pointer register (the first byte of a write) selects one of four
 * registers, and reads return that register again and again, MSB first, without moving on.
 *
 * Modelled: the pointer, the 8-bit configuration and the 16-bit temperature, THYST and TOS
 * registers with their power-on values, shutdown, one-shot conversions that take 44 ms (the
 * typical t_CONV) of the clock given to the constructor, and the normal and extended data formats.
 * Simplified: in continuous mode (shutdown clear) every read returns the current temperature, as
 * if a conversion had just finished; the ONE-SHOT bit reads back 0; the OS output, fault queue and
 * bus timeout are not modelled. A pointer beyond 0x03 is a test bug and throws RangeError.
 */

const POINTER = { TEMPERATURE: 0x00, CONFIGURATION: 0x01, THYST: 0x02, TOS: 0x03 } as const
/** Configuration bits: D0 shutdown, D5 data format, D7 one-shot. */
const SHUTDOWN = 1 << 0
const EXTENDED_FORMAT = 1 << 5
const ONE_SHOT = 1 << 7
/** Typical conversion time, ms (electrical characteristics). */
const CONVERSION_TYP_MS = 44
/** Power-on values: configuration 0x00; THYST 0x4B00 = 75 °C; TOS 0x5000 = 80 °C. */
const POR = { CONFIGURATION: 0x00, THYST: 0x4b00, TOS: 0x5000 } as const

export class SimMax30205 implements SimI2cChip {
  readonly address: number
  readonly #clock: Clock
  #pointer: number = POINTER.TEMPERATURE
  #configuration: number = POR.CONFIGURATION
  #thyst: number = POR.THYST
  #tos: number = POR.TOS
  /** The temperature register as the last finished conversion left it. */
  #temperatureWord = 0x0000
  #pending: { readonly doneAtMs: number; readonly word: number } | undefined
  #temperatureC = 36.6

  constructor(address: number, clock: Clock) {
    this.address = address
    this.#clock = clock
  }

  /** The temperature at the sensor; conversions that start from now on measure it. */
  setTemperature(temperatureC: number): void {
    if (!Number.isFinite(temperatureC)) throw new RangeError(`SimMax30205.setTemperature: not a finite temperature: ${temperatureC}`)
    this.#temperatureC = temperatureC
  }

  onWrite(bytes: Uint8Array): void {
    if (bytes.length === 0) return
    const pointer = bytes[0]!
    if (pointer > POINTER.TOS) throw new RangeError(`SimMax30205: pointer 0x${pointer.toString(16)} is not a register (0x00..0x03)`)
    this.#pointer = pointer
    const data = bytes.subarray(1)
    if (data.length === 0) return
    if (pointer === POINTER.CONFIGURATION) this.#writeConfiguration(data[0]!)
    else if (pointer === POINTER.THYST) this.#thyst = word16(data, this.#thyst)
    else if (pointer === POINTER.TOS) this.#tos = word16(data, this.#tos)
    // The temperature register is read-only.
  }

  onRead(length: number): Uint8Array {
    const bytes = this.#pointedBytes()
    return Uint8Array.from({ length }, (_, i) => bytes[i % bytes.length]!)
  }

  #writeConfiguration(value: number): void {
    this.#configuration = value & ~ONE_SHOT
    if ((value & ONE_SHOT) !== 0 && (value & SHUTDOWN) !== 0 && this.#pending === undefined) {
      this.#pending = { doneAtMs: this.#clock.now() + CONVERSION_TYP_MS, word: this.#encode(this.#temperatureC) }
    }
  }

  #pointedBytes(): number[] {
    switch (this.#pointer) {
      case POINTER.CONFIGURATION:
        return [this.#configuration]
      case POINTER.THYST:
        return msbFirst(this.#thyst)
      case POINTER.TOS:
        return msbFirst(this.#tos)
      default:
        return msbFirst(this.#temperatureRegister())
    }
  }

  #temperatureRegister(): number {
    if ((this.#configuration & SHUTDOWN) === 0) return this.#encode(this.#temperatureC)
    if (this.#pending !== undefined && this.#clock.now() >= this.#pending.doneAtMs) {
      this.#temperatureWord = this.#pending.word
      this.#pending = undefined
    }
    return this.#temperatureWord
  }

  /**
   * The data format run backwards: word = (T − offset) / 0.00390625 °C, offset 0 °C normally and
   * 64 °C in the extended format, rounded to the nearest LSB, saturated to 16-bit two's complement.
   */
  #encode(temperatureC: number): number {
    const offsetC = (this.#configuration & EXTENDED_FORMAT) !== 0 ? 64 : 0
    const signed = Math.min(0x7fff, Math.max(-0x8000, Math.round((temperatureC - offsetC) * 256)))
    return signed & 0xffff
  }
}

function msbFirst(word: number): number[] {
  return [(word >> 8) & 0xff, word & 0xff]
}

/** A 16-bit register write: MSB first; a write of one byte changes only the MSB. */
function word16(data: Uint8Array, old: number): number {
  const msb = data[0]!
  const lsb = data.length > 1 ? data[1]! : old & 0xff
  return (msb << 8) | lsb
}
