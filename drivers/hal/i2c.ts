/**
 * A 7-bit-address I2C bus.
 *
 * Contract (every implementation, real or simulated, passes test/contract/i2c-bus.contract.ts):
 * - Each call is one transaction; no other caller's transaction is interleaved with it.
 *   Transactions are served one at a time, in the order they were called (FIFO); a runtime that
 *   needs another order (the scheduler's) arbitrates above the bus.
 * - `writeRead()` is a write then a read with a repeated start where the adapter can (Linux
 *   i2c-dev: one I2C_RDWR ioctl); a read or write of any length is allowed: an implementation
 *   with a transfer limit (SMBus block: 32 bytes) splits it and says how in its doc comment.
 * - Errors are HalError: 'nack' when no device acknowledges its address or a byte, 'timeout' when
 *   the bus does not complete in time (clock stretching, a stuck SDA), 'bus' for arbitration loss
 *   or another adapter error, 'closed' after close(); the adapter's own error is the cause.
 * - A rejected call leaves the bus usable for the next one.
 * - `exclusive(work)` runs `work` with the bus to itself: `work` gets an unlocked view whose calls
 *   are not interleaved with anybody else's until the promise `work` returned settles. Calling
 *   the outer bus from inside `work` waits for `work` itself, forever: use the view.
 * - After close() resolves, every call rejects with kind 'closed'. close() waits for the
 *   transaction in progress, and is idempotent.
 */
export interface I2cBus {
  /** Writes `bytes` to the device, then reads `length` bytes from it. */
  writeRead(address: number, bytes: Uint8Array, length: number): Promise<Uint8Array>
  write(address: number, bytes: Uint8Array): Promise<void>
  read(address: number, length: number): Promise<Uint8Array>
  exclusive<T>(work: (bus: I2cBus) => Promise<T>): Promise<T>
  close(): Promise<void>
}

/** An I2cBus with the address filled in: this is what a chip driver receives. */
export interface I2cDevice {
  readonly address: number
  writeRead(bytes: Uint8Array, length: number): Promise<Uint8Array>
  write(bytes: Uint8Array): Promise<void>
  read(length: number): Promise<Uint8Array>
  /** Several transactions with nobody else's in between (e.g. VL53L0X page select, reg 0xFF). */
  exclusive<T>(work: (device: I2cDevice) => Promise<T>): Promise<T>
}

export function i2cDevice(bus: I2cBus, address: number): I2cDevice {
  if (!Number.isInteger(address) || address < 0 || address > 0x7f) throw new RangeError(`I2C address must be 0..0x7f, got ${address}`)
  return {
    address,
    writeRead: (bytes, length) => bus.writeRead(address, bytes, length),
    write: bytes => bus.write(address, bytes),
    read: length => bus.read(address, length),
    exclusive: work => bus.exclusive(inner => work(i2cDevice(inner, address))),
  }
}

/** Reads `length` bytes starting at register `register` (auto-increment): the common register-file read. */
export function readRegisters(device: I2cDevice, register: number, length: number): Promise<Uint8Array> {
  return device.writeRead(Uint8Array.of(register), length)
}

/** Writes `values` starting at register `register`. */
export function writeRegisters(device: I2cDevice, register: number, ...values: number[]): Promise<void> {
  return device.write(Uint8Array.of(register, ...values))
}
