import assert from 'node:assert/strict'
import { it } from 'node:test'
import { Bme280 } from '../../drivers/sensors/bme280/index.ts'
import { DEFAULT_BME280_SETTINGS } from '../../drivers/sensors/bme280/settings.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { scriptedI2cDevice } from '../helpers/scripted-i2c.ts'

/** Little-endian bytes of 16-bit words, as the trimming registers hold them (datasheet 4.2.2). */
const le16 = (...words: number[]): number[] => words.flatMap(word => [word & 0xff, (word >> 8) & 0xff])

it('initialises and takes one forced sample with exactly the datasheet bus traffic', async () => {
  // Trimming parameters: the BMP280 datasheet's worked example (3.12) for T and P, then
  // 0xA0 (reserved) and dig_H1 = 75; dig_H2..H6 = 362, 0, 308, 50, 30 packed as Table 16 says.
  const calib00 = [...le16(27504, 26435, -1000, 36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000), 0x00, 75]
  const calib26 = [0x6a, 0x01, 0x00, 0x13, 0x24, 0x03, 0x1e]
  const device = scriptedI2cDevice(0x76, [
    { writeRead: [0xd0], reply: [0x60] }, // chip_id (5.4.1)
    { write: [0xe0, 0xb6] }, // soft reset (5.4.2)
    { writeRead: [0xf3], reply: [0x00] }, // status: im_update clear (5.4.4)
    { writeRead: [0x88], reply: calib00 },
    { writeRead: [0xe1], reply: calib26 },
    { write: [0xf5, 0x00] }, // config while asleep: filter off (5.4.6)
    { write: [0xf2, 0x01] }, // ctrl_hum: osrs_h x1 (5.4.3)
    { write: [0xf4, 0x24] }, // ctrl_meas: osrs_t x1, osrs_p x1, sleep: latches ctrl_hum
    // sample()
    { write: [0xf2, 0x01] },
    { write: [0xf4, 0x25] }, // ctrl_meas: x1, x1, forced mode
    { writeRead: [0xf3], reply: [0x00] }, // status: measuring clear
    { writeRead: [0xf7], reply: [0x65, 0x5a, 0xc0, 0x7e, 0xed, 0x00, 0x7b, 0x0c] }, // adc_P 415148, adc_T 519888, adc_H 31500
  ])
  const clock = new VirtualClock()
  const driver = new Bme280(device, clock, DEFAULT_BME280_SETTINGS)

  const initialised = driver.init()
  await clock.advance(10)
  await initialised
  const sampled = driver.sample()
  await clock.advance(20)
  const reading = await sampled

  device.done()
  assert.ok(Math.abs(reading.temperatureC - 25.08) < 0.005)
  assert.ok(Math.abs(reading.pressurePa - 100653.27) < 0.02)
  assert.equal(reading.atMs, 20) // sample() started at t = 10 and waited 10 ms for a 9.3 ms measurement (datasheet 9.1)
})
