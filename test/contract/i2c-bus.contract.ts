import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { I2cBus } from '../../drivers/hal/i2c.ts'

/**
 * An I2C bus with one device the suite knows: a register file with an auto-incrementing pointer
 * (what most sensors are), seeded by the bench before the suite runs.
 */
export interface I2cBench {
  readonly bus: I2cBus
  /** The address of the known device. */
  readonly present: number
  /** An address where nothing acknowledges. */
  readonly absent: number
  /** The device's registers from `first` on: at least 48 bytes, which the suite only reads. */
  readonly registers: { readonly first: number; readonly values: Uint8Array }
  /** The first of 4 registers the suite may overwrite (outside `registers`). */
  readonly scratch: number
  /** Releases whatever the bench holds besides the bus (which the tests close). */
  readonly close?: () => Promise<void>
}

/** Longer than the SMBus block limit (32 bytes), as a MAX30102 FIFO read is. */
const LONG_READ = 48

/**
 * The I2cBus contract (drivers/hal/i2c.ts), run against one implementation: the sim, and the
 * Linux adapter on a real kernel's i2c-stub.
 */
export function describeI2cBusContract(name: string, open: () => Promise<I2cBench>): void {
  void describe(`I2cBus contract: ${name}`, () => {
    const onBench = (body: (bench: I2cBench) => Promise<void>) => async (): Promise<void> => {
      const bench = await open()
      try {
        await body(bench)
      } finally {
        await bench.bus.close()
        await bench.close?.()
      }
    }
    const expected = (bench: I2cBench, offset: number, length: number): Uint8Array =>
      bench.registers.values.subarray(offset, offset + length)

    it('writeRead() returns the registers from the one it wrote', onBench(async bench => {
      assert.deepEqual(await bench.bus.writeRead(bench.present, Uint8Array.of(bench.registers.first), 8), expected(bench, 0, 8))
    }))

    it('read() continues from the register a write() pointed at', onBench(async bench => {
      await bench.bus.write(bench.present, Uint8Array.of(bench.registers.first + 2))
      assert.deepEqual(await bench.bus.read(bench.present, 4), expected(bench, 2, 4))
    }))

    it('bytes written to registers are read back', onBench(async ({ bus, present, scratch }) => {
      await bus.write(present, Uint8Array.of(scratch, 0x11, 0x22, 0x33))
      assert.deepEqual(await bus.writeRead(present, Uint8Array.of(scratch), 3), Uint8Array.of(0x11, 0x22, 0x33))
    }))

    it(`reads of ${LONG_READ} bytes (over the 32-byte SMBus block) return every byte`, onBench(async bench => {
      const { bus, present, registers } = bench
      assert.deepEqual(await bus.writeRead(present, Uint8Array.of(registers.first), LONG_READ), expected(bench, 0, LONG_READ))
      await bus.write(present, Uint8Array.of(registers.first))
      assert.deepEqual(await bus.read(present, LONG_READ), expected(bench, 0, LONG_READ))
    }))

    it('rejects with kind nack when nothing answers, for each kind of call', onBench(async ({ bus, absent }) => {
      await assert.rejects(bus.read(absent, 1), { name: 'HalError', kind: 'nack' })
      await assert.rejects(bus.write(absent, Uint8Array.of(0x00, 0x01)), { name: 'HalError', kind: 'nack' })
      await assert.rejects(bus.writeRead(absent, Uint8Array.of(0x00), 2), { name: 'HalError', kind: 'nack' })
    }))

    it('a rejected call leaves the bus usable for the next one', onBench(async bench => {
      const { bus, present, absent, registers } = bench
      const failed = bus.read(absent, 1)
      const next = bus.writeRead(present, Uint8Array.of(registers.first), 2)
      await assert.rejects(failed, { kind: 'nack' })
      assert.deepEqual(await next, expected(bench, 0, 2))
    }))

    it('concurrent calls are served one at a time, in call order', onBench(async bench => {
      const { bus, present, registers, scratch } = bench
      const calls = [
        bus.write(present, Uint8Array.of(registers.first + 1)),
        bus.read(present, 1),
        bus.write(present, Uint8Array.of(scratch, 0xa1)),
        bus.writeRead(present, Uint8Array.of(scratch), 1),
        bus.write(present, Uint8Array.of(registers.first + 5)),
        bus.read(present, 2),
        bus.write(present, Uint8Array.of(scratch, 0xb2)),
        bus.writeRead(present, Uint8Array.of(scratch), 1),
      ]
      const results = await Promise.all(calls)
      assert.deepEqual(results[1], expected(bench, 1, 1))
      assert.deepEqual(results[3], Uint8Array.of(0xa1))
      assert.deepEqual(results[5], expected(bench, 5, 2))
      assert.deepEqual(results[7], Uint8Array.of(0xb2))
    }))

    it('exclusive() keeps other callers out until the promise its work returned settles', onBench(async ({ bus, present, scratch }) => {
      const order: string[] = []
      const exclusive = bus.exclusive(async view => {
        await view.write(present, Uint8Array.of(scratch, 0x01))
        await turns(5) // the outsider below is waiting now
        const [value] = await view.writeRead(present, Uint8Array.of(scratch), 1)
        order.push('exclusive done')
        return value
      })
      const outsider = bus.write(present, Uint8Array.of(scratch, 0x02)).then(() => order.push('outsider'))
      assert.equal(await exclusive, 0x01)
      await outsider
      assert.deepEqual(order, ['exclusive done', 'outsider'])
      assert.deepEqual(await bus.writeRead(present, Uint8Array.of(scratch), 1), Uint8Array.of(0x02))
    }))

    it('exclusive() passes on its work\'s rejection and frees the bus', onBench(async bench => {
      const failure = new Error('work failed')
      await assert.rejects(bench.bus.exclusive(async () => Promise.reject(failure)), error => error === failure)
      assert.deepEqual(await bench.bus.writeRead(bench.present, Uint8Array.of(bench.registers.first), 1), expected(bench, 0, 1))
    }))

    it('after close() resolves, every call rejects with kind closed', onBench(async ({ bus, present }) => {
      await bus.close()
      await assert.rejects(bus.read(present, 1), { name: 'HalError', kind: 'closed' })
      await assert.rejects(bus.write(present, Uint8Array.of(0)), { name: 'HalError', kind: 'closed' })
      await assert.rejects(bus.writeRead(present, Uint8Array.of(0), 1), { name: 'HalError', kind: 'closed' })
      await assert.rejects(bus.exclusive(view => view.read(present, 1)), { name: 'HalError', kind: 'closed' })
    }))

    it('close() waits for the transaction in progress, and is idempotent', onBench(async bench => {
      const { bus, present, registers } = bench
      const inProgress = bus.writeRead(present, Uint8Array.of(registers.first), 4)
      const closing = bus.close()
      assert.deepEqual(await inProgress, expected(bench, 0, 4))
      await closing
      await bus.close()
      await assert.rejects(bus.read(present, 1), { kind: 'closed' })
    }))
  })
}

/** Gives other promise chains (and I/O callbacks) several chances to run. */
async function turns(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise<void>(resolve => setImmediate(resolve))
}
