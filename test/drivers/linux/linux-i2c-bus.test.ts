import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createLinuxI2cBus, type LinuxI2cBusOptions } from '../../../drivers/linux/linux-i2c-bus.ts'
import { systemClock } from '../../../runtime/clock.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'
import { describeI2cBusContract } from '../../contract/i2c-bus.contract.ts'
import { FakeI2cLibrary } from './fake-i2c-library.ts'

const PRESENT = 0x76
const FIRST = 0x80
const VALUES = Uint8Array.from({ length: 64 }, (_, i) => (i * 11 + 5) & 0xff)

function fakeBus(mode: 'i2c' | 'smbus', options: Partial<LinuxI2cBusOptions> = {}) {
  const clock = new VirtualClock()
  return { clock, ...fakeBusOn(clock, mode, options) }
}

function fakeBusOn(clock: LinuxI2cBusOptions['clock'], mode: 'i2c' | 'smbus', options: Partial<LinuxI2cBusOptions> = {}) {
  const registers = new Uint8Array(256)
  registers.set(VALUES, FIRST)
  const library = new FakeI2cLibrary({ plain: mode === 'i2c' }).attach(PRESENT, registers)
  const bus = createLinuxI2cBus({ clock, ...options, name: 'i2c-fake', library, mode })
  return { library, bus }
}

for (const mode of ['i2c', 'smbus'] as const) {
  // systemClock: the suite does not move time, and a nack's retries wait 1 + 2 ms.
  describeI2cBusContract(`LinuxI2cBus over a fake i2c-bus (${mode})`, async () => {
    const { bus } = fakeBusOn(systemClock, mode)
    return { bus, present: PRESENT, absent: 0x50, registers: { first: FIRST, values: VALUES }, scratch: 0x10 }
  })
}

describe('LinuxI2cBus transfers', () => {
  it('uses one combined I2C-block read for a 1-byte register and up to 32 bytes, on plain I2C', async () => {
    const { bus, library } = fakeBus('i2c')
    await bus.writeRead(PRESENT, Uint8Array.of(FIRST), 32)
    assert.deepEqual(library.calls, ['readI2cBlock 0x76 0x80 32'])
  })

  it('reads more than 32 bytes with i2cWrite then one i2cRead, on plain I2C', async () => {
    const { bus, library } = fakeBus('i2c')
    assert.deepEqual(await bus.writeRead(PRESENT, Uint8Array.of(FIRST), 48), VALUES.subarray(0, 48))
    assert.deepEqual(library.calls, ['i2cWrite 0x76 1', 'i2cRead 0x76 48'])
  })

  it('splits reads into 32-byte I2C blocks at advancing registers, on SMBus-only adapters', async () => {
    const { bus, library } = fakeBus('smbus')
    await bus.writeRead(PRESENT, Uint8Array.of(FIRST), 48)
    assert.deepEqual(library.calls, ['readI2cBlock 0x76 0x80 32', 'readI2cBlock 0x76 0xa0 16'])
  })

  it('chooses SMBus commands by size for writes, on SMBus-only adapters', async () => {
    const { bus, library } = fakeBus('smbus')
    await bus.write(PRESENT, Uint8Array.of(0x10))
    await bus.write(PRESENT, Uint8Array.of(0x10, 1))
    await bus.write(PRESENT, Uint8Array.of(0x10, 1, 2, 3))
    assert.deepEqual(library.calls, ['sendByte 0x76 0x10', 'writeByte 0x76 0x10', 'writeI2cBlock 0x76 0x10 3'])
  })
})

describe('LinuxI2cBus errors, retries and counters', () => {
  it('retries a nack twice by default, then rejects with nack, counting every failure', async () => {
    const { bus, clock } = fakeBus('i2c')
    const failing = assert.rejects(bus.read(0x50, 1), { name: 'HalError', kind: 'nack' })
    await clock.advance(1 + 2)
    await failing
    assert.deepEqual(bus.stats().get(0x50), { transactions: 1, retries: 2, failures: { nack: 3 } })
  })

  it('succeeds on a retry after a transient nack, 1 ms of the clock later', async () => {
    const { bus, library, clock } = fakeBus('i2c')
    library.failNext(PRESENT, 'EREMOTEIO')
    const reading = bus.writeRead(PRESENT, Uint8Array.of(FIRST), 2)
    await clock.advance(1)
    assert.deepEqual(await reading, VALUES.subarray(0, 2))
    assert.deepEqual(bus.stats().get(PRESENT), { transactions: 1, retries: 1, failures: { nack: 1 } })
  })

  it('does not retry arbitration loss (EAGAIN → bus) or EBUSY (→ busy)', async () => {
    const { bus, library } = fakeBus('i2c')
    library.failNext(PRESENT, 'EAGAIN', 'EBUSY')
    await assert.rejects(bus.read(PRESENT, 1), { kind: 'bus' })
    await assert.rejects(bus.read(PRESENT, 1), { kind: 'busy' })
    assert.equal(bus.stats().get(PRESENT)?.retries, 0)
  })

  it('maps errno codes to kinds and keeps the library error as the cause', async () => {
    const cases = [['ENXIO', 'nack'], ['EIO', 'nack'], ['ENODEV', 'nack'], ['ETIMEDOUT', 'timeout'], ['ENOENT', 'not-supported'], ['EOPNOTSUPP', 'not-supported'], ['EACCES', 'busy'], ['EWHATEVER', 'other']] as const
    for (const [code, kind] of cases) {
      const { bus, library } = fakeBus('i2c', { retries: 0 })
      library.failNext(PRESENT, code)
      await assert.rejects(bus.read(PRESENT, 1), (error: Error & { kind?: string }) => {
        assert.equal(error.kind, kind, code)
        assert.equal((error.cause as NodeJS.ErrnoException).code, code)
        return true
      })
    }
  })

  it('fails an attempt past timeoutMs with timeout, and starts the next call only once the stuck one returns', async () => {
    const { bus, library, clock } = fakeBus('i2c', { timeoutMs: 50, retries: 0 })
    const release = library.hangNext(PRESENT)
    const stuck = assert.rejects(bus.read(PRESENT, 1), { kind: 'timeout' })
    const next = bus.read(PRESENT, 1)
    await clock.advance(50)
    await stuck
    assert.deepEqual(library.calls, ['i2cRead 0x76 1'])
    release()
    assert.equal((await next).length, 1)
    assert.deepEqual(library.calls, ['i2cRead 0x76 1', 'i2cRead 0x76 1'])
  })

  it('uses retriesByAddress over retries for that address', async () => {
    const { bus } = fakeBus('i2c', { retriesByAddress: { 0x50: 0 } })
    await assert.rejects(bus.read(0x50, 1), { kind: 'nack' })
    assert.equal(bus.stats().get(0x50)?.retries, 0)
  })

  it('closes the library bus once, after the transaction in progress', async () => {
    const { bus, library } = fakeBus('i2c')
    const reading = bus.read(PRESENT, 1)
    await Promise.all([bus.close(), bus.close()])
    assert.equal((await reading).length, 1)
    assert.equal(library.closed, true)
  })

  it('throws RangeError at once for an address past 0x7f or a negative length', () => {
    const { bus } = fakeBus('i2c')
    assert.throws(() => bus.read(0x80, 1), RangeError)
    assert.throws(() => bus.read(PRESENT, -1), RangeError)
  })
})
