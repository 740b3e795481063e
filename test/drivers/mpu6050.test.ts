import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { HalError } from '../../drivers/hal/errors.ts'
import { i2cDevice } from '../../drivers/hal/i2c.ts'
import { mpu6050, Mpu6050, type Mpu6050Settings } from '../../drivers/sensors/mpu6050/index.ts'
import { DriverError } from '../../drivers/sensors/sensor.ts'
import { SimMpu6050, type SimMpu6050Options } from '../../drivers/sim/chips/sim-mpu6050.ts'
import { SimI2cBus } from '../../drivers/sim/sim-i2c-bus.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { assertNear, settleWithin, simI2cSetup } from '../helpers/virtual-time.ts'

const G = 9.80665

/** A fresh clock, bus, emulator and driver for one test. */
function rig(settings: Partial<Mpu6050Settings> = {}, options: Omit<SimMpu6050Options, 'clock'> = {}) {
  const { driver: sensor, ...rest } = simI2cSetup(clock => new SimMpu6050({ clock, ...options }), (device, clock) => new Mpu6050(device, clock, settings))
  return { ...rest, sensor }
}

describe('MPU-6050 driver against the emulator', () => {
  test('init wakes the chip on the gyro PLL and writes the configured ranges, filter and divider', async () => {
    const { clock, bus, sensor } = rig({ accelFullScaleG: 8, gyroFullScaleDps: 1000, dlpfConfig: 3, sampleRateDivider: 9 })
    await settleWithin(clock, sensor.init(), 100)
    assert.deepEqual([...await bus.writeRead(0x68, Uint8Array.of(0x6b), 1)], [0x01])
    assert.deepEqual([...await bus.writeRead(0x68, Uint8Array.of(0x19), 4)], [9, 3, 2 << 3, 2 << 3])
  })

  test('a sample at rest and flat reads +1 g on z, no rotation, and the die temperature', async () => {
    const { clock, sensor } = rig()
    await settleWithin(clock, sensor.init(), 100)
    const reading = await sensor.sample()
    assert.equal(reading.quality, 'good')
    assert.deepEqual([reading.accelXMps2, reading.accelYMps2, reading.accelZMps2], [0, 0, G])
    assert.deepEqual([reading.gyroXDps, reading.gyroYDps, reading.gyroZDps], [0, 0, 0])
    assertNear(reading.temperatureC, 25, 1 / 340, 'temperatureC')
    assert.ok(Object.isFrozen(reading))
  })

  for (const accelFullScaleG of [2, 4, 8, 16] as const) {
    for (const gyroFullScaleDps of [250, 500, 1000, 2000] as const) {
      test(`motion round-trips within one LSB at ±${accelFullScaleG} g and ±${gyroFullScaleDps} °/s`, async () => {
        const { clock, chip, sensor } = rig({ accelFullScaleG, gyroFullScaleDps })
        await settleWithin(clock, sensor.init(), 100)
        const accelMps2 = [0.3, -0.45, 0.9].map(share => share * accelFullScaleG * G) as [number, number, number]
        const gyroDps = [0.2, -0.6, 0.95].map(share => share * gyroFullScaleDps) as [number, number, number]
        chip.setMotion({ accelMps2, gyroDps, temperatureC: -12.5 })
        const reading = await sensor.sample()
        const accelLsbMps2 = (accelFullScaleG * G) / 32768
        const gyroLsbDps = 1 / { 250: 131, 500: 65.5, 1000: 32.8, 2000: 16.4 }[gyroFullScaleDps]
        assertNear(reading.accelXMps2, accelMps2[0], accelLsbMps2, 'accelX')
        assertNear(reading.accelYMps2, accelMps2[1], accelLsbMps2, 'accelY')
        assertNear(reading.accelZMps2, accelMps2[2], accelLsbMps2, 'accelZ')
        assertNear(reading.gyroXDps, gyroDps[0], gyroLsbDps, 'gyroX')
        assertNear(reading.gyroYDps, gyroDps[1], gyroLsbDps, 'gyroY')
        assertNear(reading.gyroZDps, gyroDps[2], gyroLsbDps, 'gyroZ')
        assertNear(reading.temperatureC, -12.5, 1 / 340, 'temperatureC')
        assert.equal(reading.quality, 'good')
      })
    }
  }

  test('a sample is one 14-byte burst read from ACCEL_XOUT_H (0x3B)', async () => {
    const { clock, bus, sensor } = rig()
    await settleWithin(clock, sensor.init(), 100)
    const stop = bus.trace()
    await sensor.sample()
    assert.deepEqual(stop(), [{ op: 'writeRead', address: 0x68, bytes: [0x3b], length: 14 }])
  })

  test('an acceleration beyond the full scale clips and the reading is out-of-range', async () => {
    const { clock, chip, sensor } = rig({ accelFullScaleG: 2 })
    await settleWithin(clock, sensor.init(), 100)
    chip.setMotion({ accelMps2: [3 * G, 0, 0] })
    const reading = await sensor.sample()
    assert.equal(reading.quality, 'fault')
    assert.equal(reading.fault, 'out-of-range')
    assertNear(reading.accelXMps2, 2 * G, (2 * G) / 32768, 'clipped accelX')
  })

  test('the driver works on the 0x69 address (AD0 high)', async () => {
    const { clock, chip, sensor } = rig({}, { address: 0x69 })
    await settleWithin(clock, sensor.init(), 100)
    chip.setMotion({ gyroDps: [0, 0, 45] })
    assertNear((await sensor.sample()).gyroZDps, 45, 1 / 131, 'gyroZ')
  })

  test('init rejects with DriverError identity when WHO_AM_I is not 0x68', async () => {
    const { clock, bus, sensor } = rig()
    bus.stick(0x68, 0x70) // a part that answers 0x70, as the MPU-6500 does
    await assert.rejects(settleWithin(clock, sensor.init(), 100), (error: unknown) => error instanceof DriverError && error.kind === 'identity')
  })

  test('init waits on the clock for DEVICE_RESET to clear', async () => {
    const { clock, sensor } = rig({}, { resetMs: 45 })
    let done = false
    const initialising = sensor.init().finally(() => (done = true))
    await clock.advance(40)
    assert.equal(done, false)
    await settleWithin(clock, initialising, 60)
  })

  test('a reset that never clears rejects init with DriverError timeout', async () => {
    const { clock, sensor } = rig({}, { resetMs: 10_000 })
    await assert.rejects(settleWithin(clock, sensor.init(), 500), { name: 'DriverError', kind: 'timeout' })
  })

  test('an injected nack rejects the sample with DriverError io caused by the HalError, and the next sample succeeds', async () => {
    const { clock, bus, chip, sensor } = rig()
    await settleWithin(clock, sensor.init(), 100)
    chip.setMotion({ accelMps2: [G, 0, 0] })
    bus.injectFaults(0x68, 'nack')
    await assert.rejects(sensor.sample(), (error: unknown) =>
      error instanceof DriverError && error.kind === 'io' && error.cause instanceof HalError && error.cause.kind === 'nack')
    assertNear((await sensor.sample()).accelXMps2, G, G / 16384, 'accelX')
  })

  test('sample before init rejects with DriverError usage', async () => {
    await assert.rejects(rig().sensor.sample(), { name: 'DriverError', kind: 'usage' })
  })

  test('close puts the chip to sleep, and its outputs stop following the motion', async () => {
    const { clock, bus, chip, sensor } = rig()
    await settleWithin(clock, sensor.init(), 100)
    await sensor.close()
    assert.equal((await bus.writeRead(0x68, Uint8Array.of(0x6b), 1))[0]! & 0x40, 0x40)
    chip.setMotion({ accelMps2: [0, G, 0] })
    assert.deepEqual([...await bus.writeRead(0x68, Uint8Array.of(0x3d), 2)], [0, 0], 'ACCEL_YOUT held while asleep')
    await assert.rejects(sensor.sample(), { name: 'DriverError', kind: 'usage' })
  })
})

describe('MPU-6050 descriptor', () => {
  test('settings default to ±2 g, ±250 °/s, DLPF 0 and divider 0, and refuse what the chip cannot do', () => {
    assert.deepEqual(mpu6050.settings.parse({}), { accelFullScaleG: 2, gyroFullScaleDps: 250, dlpfConfig: 0, sampleRateDivider: 0 })
    assert.equal(mpu6050.settings.safeParse({ accelFullScaleG: 3 }).success, false)
    assert.equal(mpu6050.settings.safeParse({ dlpfConfig: 7 }).success, false)
    assert.equal(mpu6050.settings.safeParse({ range: 2 }).success, false)
  })

  test('create() builds a driver on an I2C port; the channels name every reading field', async () => {
    const { clock, bus } = rig()
    const sensor = mpu6050.create({ bus: 'i2c', device: i2cDevice(bus, 0x68) }, clock, mpu6050.settings.parse({ accelFullScaleG: 4 }))
    await settleWithin(clock, sensor.init(), 100)
    const reading = await sensor.sample()
    for (const channel of mpu6050.channels) assert.equal(typeof reading[channel.name as keyof typeof reading], 'number', channel.name)
    assert.deepEqual(mpu6050.addresses, [0x68, 0x69])
  })

  test('a constructor given settings the chip cannot do throws RangeError', () => {
    const clock = new VirtualClock()
    assert.throws(() => new Mpu6050(i2cDevice(new SimI2cBus(clock), 0x68), clock, { sampleRateDivider: 256 }), RangeError)
  })
})
