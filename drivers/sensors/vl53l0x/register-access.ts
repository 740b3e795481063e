import type { I2cDevice } from '../../hal/i2c.ts'
import { readRegisters, writeRegisters } from '../../hal/i2c.ts'
import { io } from '../sensor.ts'
import type { RegisterWrite } from './init-sequence.ts'

/**
 * The VL53L0X's registers as one driver operation sees them: 8- and 16-bit (big-endian, API
 * VL53L0X_RdWord) accesses, each a bus transaction whose HalError becomes DriverError kind 'io'
 * naming `operation`. Waiting is not done here, so an aborted wait is never mistaken for I/O.
 */
export class RegisterAccess {
  readonly #device: I2cDevice
  readonly #chip: string
  readonly #operation: string

  constructor(device: I2cDevice, chip: string, operation: string) {
    this.#device = device
    this.#chip = chip
    this.#operation = operation
  }

  read(register: number, length: number): Promise<Uint8Array> {
    return io(this.#chip, this.#operation, () => readRegisters(this.#device, register, length))
  }

  async readU8(register: number): Promise<number> {
    return (await this.read(register, 1))[0]!
  }

  async readU16(register: number): Promise<number> {
    const [high, low] = await this.read(register, 2)
    return (high! << 8) | low!
  }

  write(register: number, ...values: number[]): Promise<void> {
    return io(this.#chip, this.#operation, () => writeRegisters(this.#device, register, ...values))
  }

  writeU16(register: number, value: number): Promise<void> {
    return this.write(register, (value >> 8) & 0xff, value & 0xff)
  }

  /** Writes each `[register, value]` as its own transaction, in order (a page change is one of them). */
  async writeAll(writes: readonly RegisterWrite[]): Promise<void> {
    for (const [register, value] of writes) await this.write(register, value)
  }

  /** Read-modify-write: sets the `set` bits and clears the `clear` bits. */
  async update(register: number, set: number, clear = 0): Promise<void> {
    await this.write(register, ((await this.readU8(register)) | set) & ~clear & 0xff)
  }

  /** Runs `work` with nobody else's transactions in between (I2cDevice.exclusive). */
  exclusive<T>(work: (access: RegisterAccess) => Promise<T>): Promise<T> {
    return io(this.#chip, this.#operation, () =>
      this.#device.exclusive(device => work(new RegisterAccess(device, this.#chip, this.#operation))))
  }
}
