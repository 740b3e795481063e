import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Mpu6050 } from '../../drivers/sensors/mpu6050/mpu6050.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { scriptedI2cDevice } from '../helpers/scripted-i2c.ts'

// Register numbers from the register map RM-MPU-6000A-00 rev 4.2 §3, written out here.
test('init checks WHO_AM_I, resets, wakes on the gyro PLL, configures 25..28 in one write; a sample is one burst read', async () => {
  const clock = new VirtualClock()
  const device = scriptedI2cDevice(0x68, [
    { writeRead: [0x75], reply: [0x68] }, // WHO_AM_I
    { write: [0x6b, 0x80] }, // PWR_MGMT_1: DEVICE_RESET
    { writeRead: [0x6b], reply: [0x40] }, // reset done, asleep (§3 reset value)
    { write: [0x6b, 0x01] }, // awake, CLKSEL = PLL with X gyro
    { write: [0x19, 4, 2, 1 << 3, 3 << 3] }, // SMPLRT_DIV, CONFIG, GYRO_CONFIG ±500 °/s, ACCEL_CONFIG ±16 g
    // accel x = 2048 (1 g at ±16 g), y = -2048, z = 0; TEMP_OUT 0; gyro x = 131, y = 0, z = -655
    { writeRead: [0x3b], reply: [0x08, 0x00, 0xf8, 0x00, 0, 0, 0, 0, 0x00, 0x83, 0, 0, 0xfd, 0x71] },
  ])
  const sensor = new Mpu6050(device, clock, { sampleRateDivider: 4, dlpfConfig: 2, gyroFullScaleDps: 500, accelFullScaleG: 16 })
  const initialising = sensor.init()
  await clock.advance(40) // 10 ms reset poll + 30 ms gyro start-up
  await initialising
  const reading = await sensor.sample()
  device.done()
  assert.deepEqual(reading, {
    atMs: 40, quality: 'good',
    accelXMps2: 9.80665, accelYMps2: -9.80665, accelZMps2: 0,
    gyroXDps: 131 / 65.5, gyroYDps: 0, gyroZDps: -10,
    temperatureC: 36.53,
  })
})

test('init stops after WHO_AM_I when another part answers', async () => {
  const device = scriptedI2cDevice(0x68, [{ writeRead: [0x75], reply: [0x71] }])
  await assert.rejects(new Mpu6050(device, new VirtualClock()).init(), { name: 'DriverError', kind: 'identity' })
  device.done()
})
