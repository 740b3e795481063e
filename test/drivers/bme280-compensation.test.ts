import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseCalibration, type Bme280Calibration } from '../../drivers/sensors/bme280/calibration.ts'
import { compensateHumidity, compensatePressure, compensateTemperature, parseRawSample } from '../../drivers/sensors/bme280/compensation.ts'
import { DEFAULT_BME280_SETTINGS, measurementTimeMs } from '../../drivers/sensors/bme280/settings.ts'

/**
 * Independent vectors, none produced by this code:
 * - T and P: the BMP280 datasheet's worked example (BST-BMP280-DS001, 3.12), which the BME280
 *   shares (BST-BME280-DS002 4.2.3 uses the same formulas): dig_T1..dig_P9 below with
 *   adc_T = 519888 and adc_P = 415148 give t_fine = 128422, T = 25.08 °C, p = 100653.27 Pa.
 * - H: Bosch publishes no humidity example. The vector is a published capture of Bosch's own
 *   integer code (the Zephyr BME280 driver on native_sim, "T: 25080 mC | P: 100653 Pa |
 *   H: 65104 m%RH") for adc_H = 31500 with the dig_H* below. The integer formula and the double
 *   one differ by less than the part's 0.008 %RH resolution (datasheet 1.1, humidity specification), the tolerance.
 */
const example: Bme280Calibration = {
  t1: 27504, t2: 26435, t3: -1000,
  p1: 36477, p2: -10685, p3: 3024, p4: 2855, p5: 140, p6: -7, p7: 15500, p8: -14600, p9: 6000,
  h1: 75, h2: 362, h3: 0, h4: 308, h5: 50, h6: 30,
}

describe('BME280 compensation (datasheet double-precision formulas)', () => {
  it('gives 25.08 °C and t_fine 128422 for the worked example adc_T = 519888', () => {
    const { temperatureC, tFine } = compensateTemperature(519888, example)
    assert.equal(tFine, 128422)
    assert.ok(Math.abs(temperatureC - 25.08) < 0.005, `got ${temperatureC}`)
  })

  it('gives 100653.27 Pa for the worked example adc_P = 415148', () => {
    // The example's table carries t_fine unrounded; the datasheet's code (and this one)
    // truncates it to 128422, which moves p by about 0.01 Pa: far below the 0.16 Pa resolution.
    const pressurePa = compensatePressure(415148, 128422, example)
    assert.ok(Math.abs(pressurePa - 100653.27) < 0.02, `got ${pressurePa}`)
  })

  it('gives 65.104 %RH, within the 0.008 %RH resolution, for the published capture adc_H = 31500', () => {
    const humidityPct = compensateHumidity(31500, 128422, example)
    assert.ok(Math.abs(humidityPct - 65.104) < 0.008, `got ${humidityPct}`)
  })

  it('clamps humidity to 0 and 100 %RH as the datasheet formula does', () => {
    assert.equal(compensateHumidity(0, 128422, example), 0)
    assert.equal(compensateHumidity(0xffff, 128422, example), 100)
  })

  it('returns 0 Pa instead of dividing by zero when dig_P1 is 0 (datasheet guard)', () => {
    assert.equal(compensatePressure(415148, 128422, { ...example, p1: 0 }), 0)
  })

  it('unpacks the 20-bit and 16-bit words from the 0xF7..0xFE burst (5.4.7..5.4.9)', () => {
    // 415148 = 0x655AC, 519888 = 0x7EED0, 31500 = 0x7B0C; xlsb holds bits [3:0] in [7:4].
    const raw = parseRawSample(Uint8Array.of(0x65, 0x5a, 0xc0, 0x7e, 0xed, 0x00, 0x7b, 0x0c))
    assert.deepEqual(raw, { adcP: 415148, adcT: 519888, adcH: 31500 })
  })

  it('reads the trimming parameters where Table 16 puts them, signed and unsigned', () => {
    const low = new Uint8Array(26)
    const view = new DataView(low.buffer)
    ;[27504, 26435, -1000, 36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000].forEach((word, i) => {
      if (i === 0 || i === 3) view.setUint16(2 * i, word, true)
      else view.setInt16(2 * i, word, true)
    })
    low[25] = 75
    // dig_H2 = 362 (0x016A), dig_H3 = 0, dig_H4 = 308 (0x134: 0xE4 = 0x13, 0xE5[3:0] = 0x4),
    // dig_H5 = 50 (0x032: 0xE6 = 0x03, 0xE5[7:4] = 0x2), dig_H6 = 30.
    const high = Uint8Array.of(0x6a, 0x01, 0x00, 0x13, 0x24, 0x03, 0x1e)
    assert.deepEqual(parseCalibration(low, high), example)
  })

  it('reads dig_H4 and dig_H5 as signed 12-bit values (0xE4 and 0xE6 carry the sign)', () => {
    // dig_H4 = 0xFFF = -1 (0xE4 = 0xFF, 0xE5[3:0] = 0xF); dig_H5 = 0x800 = -2048 (0xE6 = 0x80, 0xE5[7:4] = 0).
    const calibration = parseCalibration(new Uint8Array(26), Uint8Array.of(0, 0, 0, 0xff, 0x0f, 0x80, 0xff))
    assert.equal(calibration.h4, -1)
    assert.equal(calibration.h5, -2048)
    assert.equal(calibration.h6, -1)
  })

  it('needs at most 9.3 ms for one measurement at x1 oversampling (datasheet 9.1)', () => {
    assert.ok(Math.abs(measurementTimeMs(DEFAULT_BME280_SETTINGS) - 9.3) < 1e-9)
  })
})
