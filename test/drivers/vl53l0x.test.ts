import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { HalError } from '../../drivers/hal/errors.ts'
import { i2cDevice, type I2cDevice } from '../../drivers/hal/i2c.ts'
import { DriverError } from '../../drivers/sensors/sensor.ts'
import { vl53l0x, Vl53l0x, type Vl53l0xSettings } from '../../drivers/sensors/vl53l0x/index.ts'
import { RegisterChip } from '../../drivers/sim/register-chip.ts'
import { SimI2cBus } from '../../drivers/sim/sim-i2c-bus.ts'
import { SimVl53l0x, type SimVl53l0xOptions } from '../../drivers/sim/chips/sim-vl53l0x.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { assertNear, settleWithin, simI2cSetup } from '../helpers/virtual-time.ts'

/** A fresh clock, bus, emulator and driver for one test. */
function rig(settings: Partial<Vl53l0xSettings> = {}, options: Omit<SimVl53l0xOptions, 'clock'> = {}) {
  const { driver: sensor, ...rest } = simI2cSetup(clock => new SimVl53l0x({ clock, rangingMs: 25, ...options }), (device, clock) => new Vl53l0x(device, clock, settings))
  return { ...rest, sensor }
}

/** The device, except that the first write of the stop variable (page 1, reg 0x91) after init is not acknowledged. */
function failFirstStopVariableWrite(device: I2cDevice): I2cDevice {
  let writes = 0
  const wrap = (inner: I2cDevice): I2cDevice => ({
    ...inner,
    write: async bytes => {
      if (bytes[0] === 0x91 && bytes.length === 2 && ++writes === 1) throw new HalError('nack', 'scripted nack on 0x91')
      return inner.write(bytes)
    },
    exclusive: work => inner.exclusive(view => work(wrap(view))),
  })
  return wrap(device)
}

async function readChip(bus: SimI2cBus, register: number, length = 1): Promise<number[]> {
  return [...await bus.writeRead(0x29, Uint8Array.of(register), length)]
}

describe('VL53L0X driver against the emulator', () => {
  test('init configures ranging: DSS + pre-range + final range, 2V8 I/O, five aperture reference SPADs', async () => {
    const { clock, bus, sensor } = rig()
    await settleWithin(clock, sensor.init(), 200)
    assert.deepEqual(await readChip(bus, 0x01), [0xe8])
    assert.equal((await readChip(bus, 0x89))[0]! & 0x01, 0x01)
    assert.deepEqual(await readChip(bus, 0xb0, 6), [0x00, 0xf0, 0x01, 0, 0, 0])
    assert.deepEqual(await readChip(bus, 0xff), [0x00], 'init leaves page 0 selected')
  })

  test('a sample reports the distance the target is at, within the 1 mm resolution', async () => {
    const { clock, chip, sensor } = rig()
    await settleWithin(clock, sensor.init(), 200)
    for (const distanceM of [0.05, 0.5, 1.234, 1.999]) {
      chip.setDistance(distanceM)
      const reading = await settleWithin(clock, sensor.sample(), 100)
      assert.equal(reading.quality, 'good')
      assertNear(reading.distanceM, distanceM, 0.001, 'distanceM')
    }
  })

  test('a sample reports the return signal rate within one Q9.7 step', async () => {
    const { clock, chip, sensor } = rig()
    await settleWithin(clock, sensor.init(), 200)
    chip.setSignalRate(12.3)
    const reading = await settleWithin(clock, sensor.sample(), 100)
    assertNear(reading.signalRateMcps, 12.3, 1 / 128, 'signalRateMcps')
  })

  test('with nothing in view the reading has quality fault and fault no-target', async () => {
    const { clock, chip, sensor } = rig()
    await settleWithin(clock, sensor.init(), 200)
    chip.setNoTarget()
    const reading = await settleWithin(clock, sensor.sample(), 100)
    assert.equal(reading.quality, 'fault')
    assert.equal(reading.fault, 'no-target')
    assert.ok(Number.isNaN(reading.distanceM))
  })

  test('a return weaker than the configured signal-rate limit reads as no target', async () => {
    const { clock, chip, sensor } = rig({ signalRateLimitMcps: 1 })
    await settleWithin(clock, sensor.init(), 200)
    chip.setSignalRate(0.5)
    assert.equal((await settleWithin(clock, sensor.sample(), 100)).fault, 'no-target')
    chip.setSignalRate(1.5)
    assert.equal((await settleWithin(clock, sensor.sample(), 100)).quality, 'good')
  })

  test('a target beyond the 2 m the datasheet promises is flagged out-of-range', async () => {
    const { clock, chip, sensor } = rig()
    await settleWithin(clock, sensor.init(), 200)
    chip.setDistance(3)
    const reading = await settleWithin(clock, sensor.sample(), 100)
    assert.deepEqual([reading.quality, reading.fault, reading.distanceM], ['fault', 'out-of-range', 3])
  })

  test('a sample waits the timing budget on the clock and polls until the result is ready', async () => {
    const { clock, sensor } = rig({ timingBudgetMs: 33 }, { rangingMs: 40 })
    await settleWithin(clock, sensor.init(), 200)
    const startMs = clock.now()
    let done = false
    const sampling = sensor.sample().finally(() => (done = true))
    await clock.advance(33)
    assert.equal(done, false, 'the measurement takes 40 ms')
    const reading = await settleWithin(clock, sampling, 20)
    assert.ok(reading.atMs >= startMs + 40 && reading.atMs <= startMs + 45, `atMs ${reading.atMs}`)
    assert.ok(Object.isFrozen(reading))
  })

  test('init rejects with DriverError identity when the model id is not 0xEE', async () => {
    const { clock, bus, sensor } = rig()
    bus.stick(0x29, 0xea) // another part answering at 0x29
    await assert.rejects(settleWithin(clock, sensor.init(), 10), (error: unknown) => error instanceof DriverError && error.kind === 'identity')
  })

  test('an injected nack rejects the sample with DriverError io caused by the HalError, and the next sample succeeds', async () => {
    const { clock, bus, chip, sensor } = rig()
    await settleWithin(clock, sensor.init(), 200)
    chip.setDistance(0.8)
    bus.injectFaults(0x29, 'nack')
    await assert.rejects(settleWithin(clock, sensor.sample(), 100), (error: unknown) =>
      error instanceof DriverError && error.kind === 'io' && error.cause instanceof HalError && error.cause.kind === 'nack')
    const reading = await settleWithin(clock, sensor.sample(), 100)
    assert.equal(reading.quality, 'good')
    assertNear(reading.distanceM, 0.8, 0.001, 'distanceM')
  })

  test('a nack in the middle of the page-1 sequence does not leave the next sample on the wrong page', async () => {
    const { clock, bus } = rig()
    const faulty = new Vl53l0x(failFirstStopVariableWrite(i2cDevice(bus, 0x29)), clock)
    await settleWithin(clock, faulty.init(), 200)
    await assert.rejects(settleWithin(clock, faulty.sample(), 100), { name: 'DriverError', kind: 'io' })
    assert.deepEqual(await readChip(bus, 0xff), [0x01], 'the failed sample left page 1 selected')
    assert.equal((await settleWithin(clock, faulty.sample(), 100)).quality, 'good')
    assert.deepEqual(await readChip(bus, 0xff), [0x00])
  })

  test('a measurement that never completes rejects with DriverError timeout, and the part recovers', async () => {
    const { clock, chip, sensor } = rig()
    await settleWithin(clock, sensor.init(), 200)
    chip.stall()
    await assert.rejects(settleWithin(clock, sensor.sample(), 1000), { name: 'DriverError', kind: 'timeout' })
    chip.resume()
    assert.equal((await settleWithin(clock, sensor.sample(), 100)).quality, 'good')
  })

  test('a calibration that never completes rejects init with DriverError timeout', async () => {
    const { clock, chip, sensor } = rig()
    chip.stall()
    await assert.rejects(settleWithin(clock, sensor.init(), 2000), (error: unknown) =>
      error instanceof DriverError && error.kind === 'timeout' && /VHV calibration/.test(error.message))
  })

  test('an aborted sample rejects with the abort reason, not as an I/O failure', async () => {
    const { clock, sensor } = rig()
    await settleWithin(clock, sensor.init(), 200)
    const controller = new AbortController()
    const sampling = sensor.sample(controller.signal)
    await clock.advance(5)
    const reason = new Error('task stopped')
    controller.abort(reason)
    await assert.rejects(settleWithin(clock, sampling, 10), error => error === reason)
  })

  test('sample before init rejects with DriverError usage', async () => {
    const { sensor } = rig()
    await assert.rejects(sensor.sample(), { name: 'DriverError', kind: 'usage' })
  })

  test('no other transaction on the bus comes between a page select and the return to page 0', async () => {
    const { clock, bus, sensor } = rig()
    bus.attach(new RegisterChip(0x50))
    const stopTrace = bus.trace()
    const other = (async () => {
      for (let i = 0; i < 200; i++) await bus.read(0x50, 1)
    })()
    await settleWithin(clock, Promise.all([sensor.init().then(() => sensor.sample()), other]), 300)
    const trace = stopTrace()
    let page = 0
    let onOtherPage = 0
    for (const transaction of trace) {
      if (transaction.address === 0x50 && page !== 0) onOtherPage++
      if (transaction.op === 'write' && transaction.address === 0x29 && transaction.bytes[0] === 0xff) page = transaction.bytes[1]!
    }
    assert.equal(onOtherPage, 0)
    const first = trace.findIndex(t => t.address === 0x29)
    const last = trace.findLastIndex(t => t.address === 0x29)
    assert.ok(trace.slice(first, last).some(t => t.address === 0x50), 'the other traffic did run while the driver worked')
  })
})

describe('VL53L0X descriptor', () => {
  test('settings default to a 33 ms budget, 0.25 MCPS and 2V8 I/O, and unknown fields are refused', () => {
    assert.deepEqual(vl53l0x.settings.parse({}), { timingBudgetMs: 33, signalRateLimitMcps: 0.25, io2v8: true })
    assert.equal(vl53l0x.settings.safeParse({ budget: 20 }).success, false)
    assert.equal(vl53l0x.settings.safeParse({ timingBudgetMs: 19 }).success, false)
  })

  test('create() builds a driver on an I2C port and refuses other ports with DriverError usage', async () => {
    const { clock, bus, chip } = rig()
    chip.setDistance(0.25)
    const sensor = vl53l0x.create({ bus: 'i2c', device: i2cDevice(bus, 0x29) }, clock, vl53l0x.settings.parse({}))
    await settleWithin(clock, sensor.init(), 200)
    assert.equal((await settleWithin(clock, sensor.sample(), 100)).distanceM, 0.25)
    assert.throws(() => vl53l0x.create({ bus: 'gpio', pin: undefined as never }, clock, vl53l0x.settings.parse({})), { name: 'DriverError', kind: 'usage' })
  })

  test('a constructor given settings out of range throws RangeError', () => {
    const clock = new VirtualClock()
    assert.throws(() => new Vl53l0x(i2cDevice(new SimI2cBus(clock), 0x29), clock, { timingBudgetMs: 5 }), RangeError)
  })
})
