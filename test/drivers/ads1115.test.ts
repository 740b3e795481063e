import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { HalError } from '../../drivers/hal/errors.ts'
import { i2cDevice } from '../../drivers/hal/i2c.ts'
import { ads1115, Ads1115, ads1115Settings, type Ads1115Settings } from '../../drivers/sensors/ads1115/index.ts'
import { SimAds1115, type SimAds1115Options } from '../../drivers/sim/chips/sim-ads1115.ts'
import { SimMax30205 } from '../../drivers/sim/chips/sim-max30205.ts'
import { SimI2cBus } from '../../drivers/sim/sim-i2c-bus.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { assertNear, settleWithin, simI2cSetup } from '../helpers/virtual-time.ts'

const ADDRESS = 0x48

/** Virtual time each driver call is given to settle: more than any conversion these tests configure. */
const SETTLE_MS = 1000

/** A fresh clock, bus, emulator and driver for one test. */
const setup = (settings: Partial<Ads1115Settings> = {}, options: SimAds1115Options = {}) =>
  simI2cSetup(clock => new SimAds1115(ADDRESS, clock, options), (device, clock) => new Ads1115(device, clock, ads1115Settings.parse(settings)))

/** Half an LSB: FSR / 2^16 (LSB = FSR / 2^15, datasheet FSR and LSB size table). */
const halfLsbV = (fullScaleRangeV: number): number => fullScaleRangeV / 65536

describe('Ads1115 driver against SimAds1115', () => {
  it('reads all four inputs back within half an LSB at the default ±4.096 V', async () => {
    const { clock, chip, driver } = setup()
    const inputsV = [0.5, 1.234567, 3.3, 0] as const
    inputsV.forEach((volts, channel) => chip.setInputVoltage(channel as 0 | 1 | 2 | 3, volts))
    await settleWithin(clock, driver.init(), SETTLE_MS)
    const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
    assert.equal(reading.quality, 'good')
    assertNear(reading.voltageA0V, 0.5, halfLsbV(4.096), 'voltageA0V')
    assertNear(reading.voltageA1V, 1.234567, halfLsbV(4.096), 'voltageA1V')
    assertNear(reading.voltageA2V, 3.3, halfLsbV(4.096), 'voltageA2V')
    assertNear(reading.voltageA3V, 0, halfLsbV(4.096), 'voltageA3V')
  })

  it('reads within half an LSB at every full-scale range', async () => {
    for (const fullScaleRangeV of [6.144, 4.096, 2.048, 1.024, 0.512, 0.256] as const) {
      const { clock, chip, driver } = setup({ channels: [2], fullScaleRangeV })
      chip.setInputVoltage(2, 0.2)
      await settleWithin(clock, driver.init(), SETTLE_MS)
      const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
      assertNear(reading.voltageA2V, 0.2, halfLsbV(fullScaleRangeV), `voltageA2V at ±${fullScaleRangeV} V`)
    }
  })

  it('reports only the channels the settings enable', async () => {
    const { clock, chip, driver } = setup({ channels: [3, 1] })
    chip.setInputVoltage(1, 1)
    chip.setInputVoltage(3, 2)
    await settleWithin(clock, driver.init(), SETTLE_MS)
    const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
    assert.deepEqual(Object.keys(reading).filter(key => key.startsWith('voltage')).sort(), ['voltageA1V', 'voltageA3V'])
    assertNear(reading.voltageA1V, 1, halfLsbV(4.096), 'voltageA1V')
    assertNear(reading.voltageA3V, 2, halfLsbV(4.096), 'voltageA3V')
  })

  it('marks an input beyond full scale as quality fault, out-of-range, at code 7FFFh', async () => {
    const { clock, chip, driver } = setup({ channels: [0, 1], fullScaleRangeV: 2.048 })
    chip.setInputVoltage(0, 3.0)
    chip.setInputVoltage(1, 1.0)
    await settleWithin(clock, driver.init(), SETTLE_MS)
    const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
    assert.equal(reading.quality, 'fault')
    assert.equal(reading.fault, 'out-of-range')
    assert.equal(reading.voltageA0V, (0x7fff * 2.048) / 32768)
  })

  it('takes one conversion time per channel: 1/8 s each at 8 SPS', async () => {
    const { clock, driver } = setup({ dataRateSps: 8 })
    await settleWithin(clock, driver.init(), SETTLE_MS)
    const startMs = clock.now()
    const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
    assert.ok(reading.atMs - startMs >= 4 * 125, `four conversions took only ${reading.atMs - startMs} ms`)
  })

  it('polls OS until a conversion slower than the nominal data rate finishes', async () => {
    const { clock, chip, driver } = setup({ channels: [0] }, { slowdown: 1.4 })
    chip.setInputVoltage(0, 1.5)
    await settleWithin(clock, driver.init(), SETTLE_MS)
    const startMs = clock.now()
    const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
    assertNear(reading.voltageA0V, 1.5, halfLsbV(4.096), 'voltageA0V')
    assert.ok(reading.atMs - startMs >= 7.8125 * 1.4, `read after ${reading.atMs - startMs} ms, before the conversion ended`)
  })

  it('rejects with kind timeout when a conversion never finishes', async () => {
    const { clock, driver } = setup({ channels: [0] }, { slowdown: 1000 })
    await settleWithin(clock, driver.init(), SETTLE_MS)
    await assert.rejects(settleWithin(clock, driver.sample(), SETTLE_MS), { name: 'DriverError', kind: 'timeout' })
  })

  it('rejects with DriverError identity when the device at the address does not keep the config', async () => {
    // A MAX30205 at 0x48 takes the first byte into its 8-bit configuration and repeats it on reads.
    const clock = new VirtualClock()
    const bus = new SimI2cBus(clock).attach(new SimMax30205(ADDRESS, clock))
    const driver = new Ads1115(i2cDevice(bus, ADDRESS), clock)
    await assert.rejects(settleWithin(clock, driver.init(), SETTLE_MS), { name: 'DriverError', kind: 'identity' })
  })

  it('rejects with DriverError identity, naming both words, when every read sticks at FFh after init (never a 0 V reading)', async () => {
    // FFFFh would pass the OS poll (bit 15 = 1, idle) and convert to −1 LSB ≈ 0 V: the config must hold what was written.
    const { clock, bus, chip, driver } = setup({ channels: [1] })
    chip.setInputVoltage(1, 1.8)
    await settleWithin(clock, driver.init(), SETTLE_MS)
    bus.stick(ADDRESS, 0xff)
    for (let attempt = 0; attempt < 3; attempt++) {
      // AIN1 against GND, ±4.096 V, single-shot, 128 SPS, comparator off, OS = 1: D383h.
      await assert.rejects(settleWithin(clock, driver.sample(), SETTLE_MS), {
        name: 'DriverError',
        kind: 'identity',
        message: /config read back 0xffff after writing 0xd383/,
      })
    }
    bus.unstick(ADDRESS)
    const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
    assert.equal(reading.quality, 'good')
    assertNear(reading.voltageA1V, 1.8, halfLsbV(4.096), 'voltageA1V after the bus is released')
  })

  it('rejects with DriverError identity when every read sticks at 00h', async () => {
    const { clock, bus, driver } = setup({ channels: [0] })
    await settleWithin(clock, driver.init(), SETTLE_MS)
    bus.stick(ADDRESS, 0x00)
    await assert.rejects(settleWithin(clock, driver.sample(), SETTLE_MS), { name: 'DriverError', kind: 'identity', message: /config read back 0x0000/ })
  })

  it('rejects init() with DriverError identity when every read sticks at FFh', async () => {
    const { clock, bus, driver } = setup()
    bus.stick(ADDRESS, 0xff)
    await assert.rejects(settleWithin(clock, driver.init(), SETTLE_MS), { name: 'DriverError', kind: 'identity', message: /config reads 0xffff/ })
  })

  it('checks the config on the OS polls it already makes: three transactions per conversion', async () => {
    const { clock, bus, driver } = setup({ channels: [0, 3] })
    await settleWithin(clock, driver.init(), SETTLE_MS)
    const stop = bus.trace()
    assert.equal((await settleWithin(clock, driver.sample(), SETTLE_MS)).quality, 'good')
    assert.deepEqual(
      stop().map(transaction => [transaction.op, transaction.op === 'read' ? [] : transaction.bytes[0]]),
      [0, 3].flatMap(() => [['write', 0x01], ['writeRead', 0x01], ['writeRead', 0x00]]),
    )
  })

  it('rejects with kind usage when sample() comes before init()', async () => {
    const { clock, driver } = setup()
    await assert.rejects(settleWithin(clock, driver.sample(), SETTLE_MS), { name: 'DriverError', kind: 'usage' })
  })

  it('rejects an injected nack with DriverError io whose cause is the HalError, then recovers', async () => {
    const { clock, bus, chip, driver } = setup({ channels: [0] })
    chip.setInputVoltage(0, 2.5)
    await settleWithin(clock, driver.init(), SETTLE_MS)
    bus.injectFaults(ADDRESS, 'nack')
    const error: unknown = await settleWithin(clock, driver.sample(), SETTLE_MS).then(() => undefined, (e: unknown) => e)
    assert.ok(error instanceof Error && error.name === 'DriverError', `got ${String(error)}`)
    assert.equal((error as { kind?: string }).kind, 'io')
    assert.ok(error.cause instanceof HalError)
    assert.equal(error.cause.kind, 'nack')
    const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
    assertNear(reading.voltageA0V, 2.5, halfLsbV(4.096), 'voltageA0V')
  })
})

describe('ads1115 descriptor', () => {
  it('lists the four ADDR-pin addresses and the channels voltageA0V..voltageA3V', () => {
    assert.deepEqual(ads1115.addresses, [0x48, 0x49, 0x4a, 0x4b])
    assert.deepEqual(ads1115.channels.map(channel => channel.name), ['voltageA0V', 'voltageA1V', 'voltageA2V', 'voltageA3V'])
  })

  it('defaults to all four channels, ±4.096 V and 128 SPS, and refuses what the part cannot do', () => {
    assert.deepEqual(ads1115.settings.parse({}), { channels: [0, 1, 2, 3], fullScaleRangeV: 4.096, dataRateSps: 128 })
    assert.equal(ads1115.settings.safeParse({ fullScaleRangeV: 5 }).success, false)
    assert.equal(ads1115.settings.safeParse({ dataRateSps: 100 }).success, false)
    assert.equal(ads1115.settings.safeParse({ channels: [] }).success, false)
    assert.equal(ads1115.settings.safeParse({ channels: [1, 1] }).success, false)
    assert.equal(ads1115.settings.safeParse({ channels: [4] }).success, false)
  })

  it('creates a working driver on an i2c port', async () => {
    const clock = new VirtualClock()
    const bus = new SimI2cBus(clock).attach(new SimAds1115(0x4b, clock))
    const sensor = ads1115.create({ bus: 'i2c', device: i2cDevice(bus, 0x4b) }, clock, ads1115.settings.parse({ channels: [0] }))
    await settleWithin(clock, sensor.init(), SETTLE_MS)
    assert.equal((await settleWithin(clock, sensor.sample(), SETTLE_MS)).quality, 'good')
  })
})
