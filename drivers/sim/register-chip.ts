import type { SimI2cChip } from './sim-i2c-bus.ts'

/**
 * Most I2C sensors are a register file with an auto-incrementing pointer: a write sets the
 * pointer with its first byte and writes the rest from there; a read continues from the pointer.
 * Chip emulators extend this and override readRegister/writeRegister where a register has side
 * effects (a FIFO, a reset, a status bit that clears on read).
 */
export class RegisterChip implements SimI2cChip {
  readonly address: number
  protected readonly registers = new Uint8Array(256)
  #pointer = 0

  constructor(address: number) {
    this.address = address
  }

  onWrite(bytes: Uint8Array): void {
    if (bytes.length === 0) return
    this.#pointer = bytes[0]!
    for (const value of bytes.subarray(1)) {
      this.writeRegister(this.#pointer, value)
      this.#advance()
    }
  }

  onRead(length: number): Uint8Array {
    const out = new Uint8Array(length)
    for (let i = 0; i < length; i++) {
      out[i] = this.readRegister(this.#pointer)
      this.#advance()
    }
    return out
  }

  /** How the pointer moves after each byte; a chip whose FIFO register does not advance overrides it. */
  protected nextPointer(register: number): number {
    return (register + 1) & 0xff
  }

  protected writeRegister(register: number, value: number): void {
    this.registers[register] = value
  }

  protected readRegister(register: number): number {
    return this.registers[register]!
  }

  #advance(): void {
    this.#pointer = this.nextPointer(this.#pointer)
  }
}
