import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  accelToMps2, convertMotion, gyroToDps, parseMotion, STANDARD_GRAVITY_MPS2, temperatureToC,
} from '../../drivers/sensors/mpu6050/conversion.ts'
import { assertNear } from '../helpers/virtual-time.ts'

// Vectors from InvenSense's documents, not from this code: the sensitivity tables of the register
// map RM-MPU-6000A-00 rev 4.2 (§4.17 AFS_SEL: 16384, 8192, 4096, 2048 LSB/g; §4.19 FS_SEL: 131,
// 65.5, 32.8, 16.4 LSB/(°/s)), its §4.18 temperature formula, and the Product Specification
// PS-MPU-6000A-00 rev 3.4 §6.3 temperature offset (-521 LSB at 35 °C, 340 LSB/°C).
// 1 g is taken as standard gravity, 9.80665 m/s².

describe('MPU-6050 accelerometer scale (register map §4.17)', () => {
  test('one sensitivity step of each full-scale range is 1 g', () => {
    assert.equal(accelToMps2(16384, 2), STANDARD_GRAVITY_MPS2)
    assert.equal(accelToMps2(8192, 4), STANDARD_GRAVITY_MPS2)
    assert.equal(accelToMps2(4096, 8), STANDARD_GRAVITY_MPS2)
    assert.equal(accelToMps2(2048, 16), STANDARD_GRAVITY_MPS2)
  })

  test('1 g is 9.80665 m/s², so -8192 LSB at ±2 g is -4.903325 m/s²', () => {
    assert.equal(accelToMps2(-8192, 2), -4.903325)
  })
})

describe('MPU-6050 gyroscope scale (register map §4.19)', () => {
  test('131 LSB is 1 °/s at ±250 °/s', () => {
    assert.equal(gyroToDps(131, 250), 1)
  })

  test('10 °/s is 655, 328 and 164 LSB at ±500, ±1000 and ±2000 °/s', () => {
    assertNear(gyroToDps(655, 500), 10, 1e-12, 'gyroToDps(655, 500)')
    assertNear(gyroToDps(328, 1000), 10, 1e-12, 'gyroToDps(328, 1000)')
    assertNear(gyroToDps(164, 2000), 10, 1e-12, 'gyroToDps(164, 2000)')
  })
})

describe('MPU-6050 temperature (register map §4.18, product specification §6.3)', () => {
  test('TEMP_OUT 0 is 36.53 °C and each 340 LSB is one degree', () => {
    assert.equal(temperatureToC(0), 36.53)
    assertNear(temperatureToC(340), 37.53, 1e-9, 'temperatureToC(340)')
    assertNear(temperatureToC(-3400), 26.53, 1e-9, 'temperatureToC(-3400)')
  })

  test('the specified offset, -521 LSB, reads 35 °C within one LSB', () => {
    assertNear(temperatureToC(-521), 35, 1 / 340, 'temperatureToC(-521)')
  })
})

describe('MPU-6050 measurement block', () => {
  // ACCEL_XOUT_H..GYRO_ZOUT_L: seven big-endian two's-complement words.
  const block = Uint8Array.of(0x00, 0x00, 0xc0, 0x00, 0x40, 0x00, 0xfd, 0xf7, 0x00, 0x83, 0xff, 0x7d, 0x7f, 0xff)

  test('the 14 bytes are seven big-endian signed words', () => {
    assert.deepEqual(parseMotion(block), { accel: [0, -16384, 16384], temperature: -521, gyro: [131, -131, 32767] })
  })

  test('a word at the int16 limit means a clipped axis: the reading is out-of-range', () => {
    const motion = convertMotion(parseMotion(block), 2, 250)
    assert.equal(motion.quality, 'fault')
    assert.equal(motion.fault, 'out-of-range')
    assert.equal(motion.accelYMps2, -STANDARD_GRAVITY_MPS2)
    assert.equal(motion.gyroXDps, 1)
  })

  test('a block inside every range is good and carries no fault', () => {
    const motion = convertMotion({ accel: [0, 0, 16384], temperature: -521, gyro: [0, 0, 0] }, 2, 250)
    assert.equal(motion.quality, 'good')
    assert.equal('fault' in motion, false)
    assert.equal(motion.accelZMps2, STANDARD_GRAVITY_MPS2)
  })

  test('a temperature beyond the sensor range of -40..85 °C is out-of-range', () => {
    // (100 - 36.53) * 340 = 21580 LSB
    assert.equal(convertMotion({ accel: [0, 0, 0], temperature: 21580, gyro: [0, 0, 0] }, 2, 250).fault, 'out-of-range')
  })
})
