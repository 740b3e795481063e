import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { HalError } from '../../drivers/hal/errors.ts'
import { i2cDevice } from '../../drivers/hal/i2c.ts'
import { max30205, Max30205, max30205Settings, type Max30205Settings } from '../../drivers/sensors/max30205/index.ts'
import { SimBme280 } from '../../drivers/sim/chips/sim-bme280.ts'
import { SimMax30205 } from '../../drivers/sim/chips/sim-max30205.ts'
import { SimI2cBus } from '../../drivers/sim/sim-i2c-bus.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { assertNear, settleWithin, simI2cSetup } from '../helpers/virtual-time.ts'

const ADDRESS = 0x48
/** One LSB of the temperature register (datasheet: temperature data format). */
const LSB_C = 0.00390625

/** Virtual time each driver call is given to settle: more than the 50 ms t_CONV. */
const SETTLE_MS = 200

/** A fresh clock, bus, emulator and driver for one test. */
const setup = (settings: Partial<Max30205Settings> = {}) =>
  simI2cSetup(clock => new SimMax30205(ADDRESS, clock), (device, clock) => new Max30205(device, clock, max30205Settings.parse(settings)))

describe('Max30205 driver against SimMax30205', () => {
  it('reports set temperatures back within half an LSB (0.00390625 °C)', async () => {
    const { clock, chip, driver } = setup()
    await settleWithin(clock, driver.init(), SETTLE_MS)
    for (const temperatureC of [0.5, 25.1, 36.6, 37.25, 49.9]) {
      chip.setTemperature(temperatureC)
      const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
      assert.equal(reading.quality, 'good')
      assertNear(reading.temperatureC, temperatureC, LSB_C / 2, 'temperatureC')
    }
  })

  it('leaves the part in shutdown and configured as asked after init', async () => {
    const { clock, bus, driver } = setup({ extendedFormat: true })
    await settleWithin(clock, driver.init(), SETTLE_MS)
    const [configuration] = await bus.writeRead(ADDRESS, Uint8Array.of(0x01), 1)
    assert.equal(configuration, 0b0010_0001) // D5 extended format, D0 shutdown
  })

  it('reads the extended format 64 °C higher, as the configuration asks', async () => {
    const { clock, chip, driver } = setup({ extendedFormat: true })
    chip.setTemperature(37.5)
    await settleWithin(clock, driver.init(), SETTLE_MS)
    const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
    assertNear(reading.temperatureC, 37.5, LSB_C / 2, 'temperatureC')
  })

  it('reports the new temperature, not the previous conversion, because it waits out t_CONV', async () => {
    const { clock, chip, driver } = setup()
    await settleWithin(clock, driver.init(), SETTLE_MS)
    chip.setTemperature(30)
    await settleWithin(clock, driver.sample(), SETTLE_MS)
    chip.setTemperature(40)
    const startMs = clock.now()
    const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
    assertNear(reading.temperatureC, 40, LSB_C / 2, 'temperatureC')
    assert.equal(reading.atMs, startMs + 50)
  })

  it('marks a temperature above 50 °C as quality fault, out-of-range', async () => {
    const { clock, chip, driver } = setup()
    chip.setTemperature(55)
    await settleWithin(clock, driver.init(), SETTLE_MS)
    const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
    assert.equal(reading.quality, 'fault')
    assert.equal(reading.fault, 'out-of-range')
    assertNear(reading.temperatureC, 55, LSB_C / 2, 'temperatureC')
  })

  it('rejects with DriverError identity when the device at the address does not keep its configuration', async () => {
    // A BME280 register file answers, but 0x01 is read-only calibration space there.
    const clock = new VirtualClock()
    const bus = new SimI2cBus(clock).attach(new SimBme280(ADDRESS))
    const driver = new Max30205(i2cDevice(bus, ADDRESS), clock)
    await assert.rejects(settleWithin(clock, driver.init(), SETTLE_MS), { name: 'DriverError', kind: 'identity' })
  })

  it('rejects with DriverError identity when every byte reads 0xFF (a stuck bus)', async () => {
    const { clock, bus, driver } = setup()
    bus.stick(ADDRESS, 0xff)
    await assert.rejects(settleWithin(clock, driver.init(), SETTLE_MS), { name: 'DriverError', kind: 'identity' })
  })

  it('rejects with kind usage when sample() comes before init()', async () => {
    const { clock, driver } = setup()
    await assert.rejects(settleWithin(clock, driver.sample(), SETTLE_MS), { name: 'DriverError', kind: 'usage' })
  })

  it('rejects an injected nack with DriverError io whose cause is the HalError, then recovers', async () => {
    const { clock, bus, chip, driver } = setup()
    chip.setTemperature(36.6)
    await settleWithin(clock, driver.init(), SETTLE_MS)
    bus.injectFaults(ADDRESS, 'nack')
    const error: unknown = await settleWithin(clock, driver.sample(), SETTLE_MS).then(() => undefined, (e: unknown) => e)
    assert.ok(error instanceof Error && error.name === 'DriverError', `got ${String(error)}`)
    assert.equal((error as { kind?: string }).kind, 'io')
    assert.ok(error.cause instanceof HalError)
    assert.equal(error.cause.kind, 'nack')
    const reading = await settleWithin(clock, driver.sample(), SETTLE_MS)
    assertNear(reading.temperatureC, 36.6, LSB_C / 2, 'temperatureC')
  })
})

describe('max30205 descriptor', () => {
  it('lists all 32 addresses A0..A2 select, 0x40..0x5F, with 0x48..0x4F among them', () => {
    assert.equal(max30205.addresses.length, 32)
    assert.equal(Math.min(...max30205.addresses), 0x40)
    assert.equal(Math.max(...max30205.addresses), 0x5f)
    for (let address = 0x48; address <= 0x4f; address++) assert.ok(max30205.addresses.includes(address))
  })

  it('defaults to the normal data format and refuses unknown settings', () => {
    assert.deepEqual(max30205.settings.parse({}), { extendedFormat: false })
    assert.equal(max30205.settings.safeParse({ format: 'extended' }).success, false)
  })

  it('creates a working driver on an i2c port', async () => {
    const clock = new VirtualClock()
    const bus = new SimI2cBus(clock).attach(new SimMax30205(0x4f, clock))
    const sensor = max30205.create({ bus: 'i2c', device: i2cDevice(bus, 0x4f) }, clock, max30205.settings.parse({}))
    await settleWithin(clock, sensor.init(), SETTLE_MS)
    assert.equal((await settleWithin(clock, sensor.sample(), SETTLE_MS)).quality, 'good')
  })
})
