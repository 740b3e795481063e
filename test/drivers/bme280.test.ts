import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { HalError } from '../../drivers/hal/errors.ts'
import { i2cDevice } from '../../drivers/hal/i2c.ts'
import { bme280, Bme280, bme280Settings, type Bme280Settings } from '../../drivers/sensors/bme280/index.ts'
import { SIM_BME280_CALIBRATION, SimBme280, type SimBme280Options } from '../../drivers/sim/chips/sim-bme280.ts'
import { SimI2cBus } from '../../drivers/sim/sim-i2c-bus.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { assertNear, settleWithin, simI2cSetup } from '../helpers/virtual-time.ts'

const ADDRESS = 0x76

/** Virtual time each driver call is given to settle: more than any measurement these tests configure. */
const SETTLE_MS = 200

/** A fresh clock, bus, emulator and driver for one test. */
const setup = (settings: Partial<Bme280Settings> = {}, options: SimBme280Options = {}) =>
  simI2cSetup(() => new SimBme280(ADDRESS, options), (device, clock) => new Bme280(device, clock, bme280Settings.parse(settings)))

describe('Bme280 driver against SimBme280', () => {
  it('initialises a BME280 and leaves it asleep in sleep mode', async () => {
    const { clock, bus, driver } = setup()
    await settleWithin(clock, driver.init(), SETTLE_MS)
    const [ctrlMeas] = await bus.writeRead(ADDRESS, Uint8Array.of(0xf4), 1)
    assert.equal(ctrlMeas! & 0b11, 0b00)
  })

  it("returns the datasheet worked example's values when the chip holds its raw words", async () => {
    const { clock, chip, driver } = setup()
    chip.setRawAdc({ temperature: 519888, pressure: 415148, humidity: 31500 })
    await settleWithin(clock, driver.init(), SETTLE_MS)
    const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
    assert.equal(reading.quality, 'good')
    assertNear(reading.temperatureC, 25.08, 0.005, 'temperatureC')
    assertNear(reading.pressurePa, 100653.27, 0.02, 'pressurePa')
    assertNear(reading.humidityPct, 65.104, 0.008, 'humidityPct')
    assert.ok(Object.isFrozen(reading))
  })

  it('reports a set environment back within the x1 resolution (0.005 °C, 2.62 Pa, 0.008 %RH)', async () => {
    // Resolutions at x1 without the filter: 16-bit words (datasheet 3.4.2/3.4.3; BMP280 datasheet Tables 4, 5).
    const { clock, chip, driver } = setup()
    await settleWithin(clock, driver.init(), SETTLE_MS)
    for (const environment of [
      { temperatureC: -10, pressurePa: 80_000, humidityPct: 10 },
      { temperatureC: 22, pressurePa: 101_325, humidityPct: 45 },
      { temperatureC: 40, pressurePa: 105_000, humidityPct: 90 },
    ]) {
      chip.setEnvironment(environment)
      const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
      assertNear(reading.temperatureC, environment.temperatureC, 0.005, 'temperatureC')
      assertNear(reading.pressurePa, environment.pressurePa, 2.62, 'pressurePa')
      assertNear(reading.humidityPct, environment.humidityPct, 0.008, 'humidityPct')
    }
  })

  it('reports pressure within 0.16 Pa at x16 oversampling with the IIR filter on (20-bit words)', async () => {
    const { clock, chip, driver } = setup({ pressureOversampling: 16, temperatureOversampling: 2, iirFilter: 16 })
    chip.setEnvironment({ temperatureC: 18.5, pressurePa: 99_123.4, humidityPct: 55 })
    await settleWithin(clock, driver.init(), SETTLE_MS)
    const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
    assertNear(reading.pressurePa, 99_123.4, 0.16, 'pressurePa')
    assertNear(reading.temperatureC, 18.5, 0.0003, 'temperatureC')
  })

  it('moves a pressure step by 1/16 per sample with filter coefficient 16 (datasheet 3.4.4)', async () => {
    const { clock, chip, driver } = setup({ pressureOversampling: 16, iirFilter: 16 })
    chip.setEnvironment({ temperatureC: 20, pressurePa: 101_325, humidityPct: 50 })
    await settleWithin(clock, driver.init(), SETTLE_MS)
    await settleWithin(clock, driver.sample(), SETTLE_MS)
    chip.setEnvironment({ temperatureC: 20, pressurePa: 100_000, humidityPct: 50 })
    const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
    // x_filt = (x_old · 15 + x_adc) / 16; pressure is close to linear in the ADC word.
    assertNear(reading.pressurePa, 101_325 + (100_000 - 101_325) / 16, 1, 'pressurePa')
  })

  it('takes the reading time from the clock, after the measurement time has passed', async () => {
    const { clock, driver } = setup()
    await settleWithin(clock, driver.init(), SETTLE_MS)
    const startMs = clock.now()
    const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
    assert.ok(reading.atMs >= startMs + 9.3, `atMs ${reading.atMs} is before the 9.3 ms measurement ended`)
  })

  it('marks a temperature above 85 °C as quality fault, out-of-range', async () => {
    const { clock, chip, driver } = setup()
    chip.setEnvironment({ temperatureC: 90, pressurePa: 101_325, humidityPct: 5 })
    await settleWithin(clock, driver.init(), SETTLE_MS)
    const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
    assert.equal(reading.quality, 'fault')
    assert.equal(reading.fault, 'out-of-range')
    assertNear(reading.temperatureC, 90, 0.005, 'temperatureC')
  })

  it('rejects with DriverError identity when the chip answers 0x58 like a BMP280', async () => {
    const { clock, driver } = setup({}, { chipId: 0x58 })
    await assert.rejects(settleWithin(clock, driver.init(), SETTLE_MS), { name: 'DriverError', kind: 'identity', message: /0x58.*BMP280/ })
  })

  it('rejects with DriverError data when the trimming parameters read as zero', async () => {
    const { clock, driver } = setup({}, { calibration: { ...SIM_BME280_CALIBRATION, digT1: 0, digP1: 0 } })
    await assert.rejects(settleWithin(clock, driver.init(), SETTLE_MS), { name: 'DriverError', kind: 'data' })
  })

  it('rejects with kind usage when sample() comes before init()', async () => {
    const { clock, driver } = setup()
    await assert.rejects(settleWithin(clock, driver.sample(), SETTLE_MS), { name: 'DriverError', kind: 'usage' })
  })

  it('rejects an injected nack with DriverError io whose cause is the HalError, then recovers', async () => {
    const { clock, bus, driver } = setup()
    await settleWithin(clock, driver.init(), SETTLE_MS)
    bus.injectFaults(ADDRESS, 'nack')
    const error: unknown = await settleWithin(clock, driver.sample(), SETTLE_MS).then(() => undefined, (e: unknown) => e)
    assert.ok(error instanceof Error && error.name === 'DriverError', `got ${String(error)}`)
    assert.equal((error as { kind?: string }).kind, 'io')
    assert.ok(error.cause instanceof HalError)
    assert.equal(error.cause.kind, 'nack')
    const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
    assert.equal(reading.quality, 'good')
  })

  it('rejects with kind timeout when the status register never stops saying measuring', async () => {
    const { clock, bus, driver } = setup()
    await settleWithin(clock, driver.init(), SETTLE_MS)
    bus.stick(ADDRESS, 0xff)
    await assert.rejects(settleWithin(clock, driver.sample(), SETTLE_MS), { name: 'DriverError', kind: 'timeout' })
  })

  it('stops waiting and rejects with the reason when the signal aborts mid-measurement', async () => {
    const { clock, driver } = setup()
    await settleWithin(clock, driver.init(), SETTLE_MS)
    const controller = new AbortController()
    const sampled = driver.sample(controller.signal)
    const reason = new Error('task cancelled')
    await clock.advance(2)
    controller.abort(reason)
    await assert.rejects(sampled, error => error === reason)
  })

  it('rejects with kind usage after close()', async () => {
    const { clock, driver } = setup()
    await settleWithin(clock, driver.init(), SETTLE_MS)
    await driver.close()
    await assert.rejects(settleWithin(clock, driver.sample(), SETTLE_MS), { name: 'DriverError', kind: 'usage' })
  })
})

describe('SimBme280 register behaviour the driver depends on', () => {
  const read = async (bus: SimI2cBus, register: number, length: number): Promise<number[]> => [...(await bus.writeRead(ADDRESS, Uint8Array.of(register), length))]

  it('skips humidity (0x8000) when ctrl_hum is written after the ctrl_meas that starts a measurement (5.4.3)', async () => {
    const { bus } = setup()
    await bus.write(ADDRESS, Uint8Array.of(0xf4, 0x25)) // forced, with ctrl_hum still 0 (skipped)
    await bus.write(ADDRESS, Uint8Array.of(0xf2, 0x01)) // too late for this measurement
    assert.deepEqual((await read(bus, 0xfd, 2)), [0x80, 0x00])
    await bus.write(ADDRESS, Uint8Array.of(0xf4, 0x25)) // the next ctrl_meas write latches it
    assert.notDeepEqual((await read(bus, 0xfd, 2)), [0x80, 0x00])
  })

  it('ignores a config write in normal mode and takes it in sleep mode (5.4.6)', async () => {
    const { bus } = setup()
    await bus.write(ADDRESS, Uint8Array.of(0xf4, 0x27)) // normal mode
    await bus.write(ADDRESS, Uint8Array.of(0xf5, 0x10))
    assert.deepEqual(await read(bus, 0xf5, 1), [0x00])
    await bus.write(ADDRESS, Uint8Array.of(0xf4, 0x24)) // sleep mode
    await bus.write(ADDRESS, Uint8Array.of(0xf5, 0x10))
    assert.deepEqual(await read(bus, 0xf5, 1), [0x10])
  })

  it('takes a multi-byte write as register/data pairs (6.2.1)', async () => {
    const { bus } = setup()
    await bus.write(ADDRESS, Uint8Array.of(0xf2, 0x03, 0xf5, 0x08))
    assert.deepEqual(await read(bus, 0xf2, 1), [0x03])
    assert.deepEqual(await read(bus, 0xf5, 1), [0x08])
  })
})

describe('bme280 descriptor', () => {
  it('gives every setting a default and refuses unknown ones', () => {
    assert.deepEqual(bme280.settings.parse({}), { temperatureOversampling: 1, pressureOversampling: 1, humidityOversampling: 1, iirFilter: 'off' })
    assert.equal(bme280.settings.safeParse({ oversampling: 2 }).success, false)
    assert.equal(bme280.settings.safeParse({ pressureOversampling: 3 }).success, false)
  })

  it('lists the two addresses SDO selects and the three channels', () => {
    assert.deepEqual(bme280.addresses, [0x76, 0x77])
    assert.deepEqual(bme280.channels.map(channel => channel.name), ['temperatureC', 'pressurePa', 'humidityPct'])
  })

  it('creates a working driver on an i2c port and refuses a serial one', async () => {
    const clock = new VirtualClock()
    const bus = new SimI2cBus(clock).attach(new SimBme280(0x77))
    const sensor = bme280.create({ bus: 'i2c', device: i2cDevice(bus, 0x77) }, clock, bme280.settings.parse({}))
    await settleWithin(clock, sensor.init(), SETTLE_MS)
    assert.equal((await settleWithin(clock, sensor.sample(), SETTLE_MS)).quality, 'good')
    const line = { path: 'sim', write: async () => {}, onData: () => () => {}, onError: () => () => {}, close: async () => {} }
    assert.throws(() => bme280.create({ bus: 'serial', line }, clock, bme280.settings.parse({})), { name: 'DriverError', kind: 'usage' })
  })
})
