import type { PromisifiedBus } from 'i2c-bus'
import { HalError } from '../hal/errors.ts'

/** The part of i2c-bus's PromisifiedBus the adapter uses (a test can give its own). */
export type I2cLibraryBus = Pick<PromisifiedBus, 'i2cFuncs' | 'i2cRead' | 'i2cWrite' | 'readI2cBlock' | 'writeI2cBlock' | 'receiveByte' | 'sendByte' | 'writeByte' | 'writeQuick' | 'close'>

/** How the adapter's transactions map onto library calls; see plainI2c and smbus. */
export interface Transfers {
  readonly mode: 'i2c' | 'smbus'
  write(address: number, bytes: Uint8Array): Promise<void>
  read(address: number, length: number): Promise<Uint8Array>
  writeRead(address: number, bytes: Uint8Array, length: number): Promise<Uint8Array>
}

/** i2c-bus README: readI2cBlock / writeI2cBlock "length … (max 32)" (the SMBus I2C-block limit). */
export const MAX_BLOCK = 32

/**
 * For adapters that do plain I2C (the Pi's i2c-bcm2835; i2cFuncs().i2c):
 * - write: i2cWrite (one write() on /dev/i2c-N, any length); no bytes: a quick write;
 * - read: i2cRead (one read(), any length: no 32-byte cap);
 * - writeRead of a 1-byte register and 1..32 bytes: readI2cBlock, which the kernel performs on an
 *   I2C adapter as one combined write-then-read with a repeated start (i2c_smbus_xfer_emulated);
 * - any other writeRead: i2cWrite then i2cRead, with a STOP between (i2c-bus has no I2C_RDWR).
 *   Register-pointer chips (BME280, VL53L0X, the MAX30102 FIFO) accept that.
 */
export function plainI2c(bus: I2cLibraryBus): Transfers {
  const write = async (address: number, bytes: Uint8Array): Promise<void> => {
    // @types/i2c-bus declares writeQuick(address, command, bit); the library takes (address, bit).
    if (bytes.length === 0) return bus.writeQuick(address, 0, 0)
    const { bytesWritten } = await bus.i2cWrite(address, bytes.length, Buffer.from(bytes))
    expectCount('wrote', bytesWritten, bytes.length)
  }
  const read = async (address: number, length: number): Promise<Uint8Array> => {
    const into = Buffer.alloc(length)
    if (length > 0) expectCount('read', (await bus.i2cRead(address, length, into)).bytesRead, length)
    return new Uint8Array(into)
  }
  return {
    mode: 'i2c',
    write,
    read,
    writeRead: async (address, bytes, length) => {
      if (bytes.length === 1 && length >= 1 && length <= MAX_BLOCK) return readBlock(bus, address, bytes[0]!, length)
      await write(address, bytes)
      return read(address, length)
    },
  }
}

/**
 * For SMBus-only adapters (i2c-stub, many PC SMBus controllers): every transaction becomes SMBus
 * commands, and the device is taken to be a register file whose pointer advances per byte:
 * - write: none → quick write; 1 byte → send byte; 2 → write byte data; more → I2C-block writes of
 *   up to 32 data bytes at register, register+32, …;
 * - read: receive byte, once per byte (each continues from the device's pointer);
 * - writeRead of a 1-byte register: I2C-block reads of up to 32 bytes at register, register+32, …
 *   (a FIFO register that does not advance cannot be read past 32 bytes this way); of a longer
 *   write: the write, then the read as above.
 */
export function smbus(bus: I2cLibraryBus): Transfers {
  const write = async (address: number, bytes: Uint8Array): Promise<void> => {
    if (bytes.length === 0) return bus.writeQuick(address, 0, 0)
    const register = bytes[0]!
    if (bytes.length === 1) return bus.sendByte(address, register)
    if (bytes.length === 2) return bus.writeByte(address, register, bytes[1]!)
    for (let offset = 1; offset < bytes.length; offset += MAX_BLOCK) {
      const chunk = Buffer.from(bytes.subarray(offset, offset + MAX_BLOCK))
      expectCount('wrote', (await bus.writeI2cBlock(address, register + offset - 1, chunk.length, chunk)).bytesWritten, chunk.length)
    }
  }
  const read = async (address: number, length: number): Promise<Uint8Array> => {
    const into = new Uint8Array(length)
    for (let i = 0; i < length; i++) into[i] = await bus.receiveByte(address)
    return into
  }
  return {
    mode: 'smbus',
    write,
    read,
    writeRead: async (address, bytes, length) => {
      if (bytes.length !== 1) {
        await write(address, bytes)
        return read(address, length)
      }
      const into = new Uint8Array(length)
      for (let offset = 0; offset < length; offset += MAX_BLOCK) {
        into.set(await readBlock(bus, address, bytes[0]! + offset, Math.min(MAX_BLOCK, length - offset)), offset)
      }
      return into
    },
  }
}

async function readBlock(bus: I2cLibraryBus, address: number, register: number, length: number): Promise<Uint8Array> {
  if (register > 0xff) throw new RangeError(`register 0x${register.toString(16)} is past 0xff: the read runs off the device's register file`)
  const into = Buffer.alloc(length)
  expectCount('read', (await bus.readI2cBlock(address, register, length, into)).bytesRead, length)
  return new Uint8Array(into)
}

function expectCount(what: 'read' | 'wrote', actual: number, expected: number): void {
  if (actual !== expected) throw new HalError('bus', `${what} ${actual} of ${expected} bytes`)
}
