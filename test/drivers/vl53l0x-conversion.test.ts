import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { fromQ9_7, judgeRange, parseRangeResult, toQ9_7 } from '../../drivers/sensors/vl53l0x/conversion.ts'
import { DEFAULT_TUNING_SETTINGS } from '../../drivers/sensors/vl53l0x/init-sequence.ts'
import { parseSpadInfo, selectReferenceSpads } from '../../drivers/sensors/vl53l0x/spads.ts'
import {
  decodeSequenceSteps, decodeTimeout, decodeVcselPeriodPclks, encodeTimeout, finalRangeTimeoutRegister, macroPeriodNs,
  timeoutMclksToUs,
} from '../../drivers/sensors/vl53l0x/timing.ts'

// Vectors: ST's published defaults (the API's DefaultTuningSettings and DataInit, as quoted in
// Pololu's VL53L0X.cpp), and values worked by hand from the API's formulas as written in the
// comments. ST publishes no worked example of the timing arithmetic; none of these numbers was
// produced by running the code under test.

/** The step timeouts DefaultTuningSettings leaves on the chip: 0x50=0x06, 0x70=0x04, 0x46=0x25, 0x51..52=0x0096. */
const DEFAULT_TIMEOUTS = { preRangeVcselPclks: 14, finalRangeVcselPclks: 10, msrcDssTccMclks: 0x25 + 1, preRangeMclks: 151 }

describe('VL53L0X rates (Q9.7)', () => {
  test('0x0020, the limit DefaultTuningSettings writes, is the API default of 0.25 MCPS', () => {
    assert.equal(fromQ9_7(0x0020), 0.25)
    assert.equal(toQ9_7(0.25), 0x0020)
  })

  test('a rate outside 0..511.99 MCPS is refused', () => {
    assert.throws(() => toQ9_7(512), RangeError)
    assert.throws(() => toQ9_7(-0.1), RangeError)
  })
})

describe('VL53L0X timing arithmetic', () => {
  test('VCSEL period registers 0x06 and 0x04 are the 14 and 10 PCLK defaults (Pololu: "initialized default")', () => {
    assert.equal(decodeVcselPeriodPclks(0x06), 14)
    assert.equal(decodeVcselPeriodPclks(0x04), 10)
  })

  test('a macro period is 2304 VCSEL clocks of 1655 ps, rounded to the ns', () => {
    // 2304 * 14 * 1.655 ns = 53383.68 ns; 2304 * 10 * 1.655 ns = 38131.2 ns.
    assert.equal(macroPeriodNs(14), 53384)
    assert.equal(macroPeriodNs(10), 38131)
  })

  test('timeout registers decode as (LSByte * 2^MSByte) + 1', () => {
    assert.equal(decodeTimeout(0x0096), 151) // pre-range timeout of DefaultTuningSettings
    assert.equal(decodeTimeout(0x01fe), 0xfe * 2 + 1) // final-range timeout of DefaultTuningSettings
    assert.equal(decodeTimeout(0x028e), 0x8e * 4 + 1)
  })

  test('encoding halves the LSByte until it fits and counts the halvings in the MSByte', () => {
    // 569 - 1 = 568 -> 284 -> 142 = 0x8E after two halvings.
    assert.equal(encodeTimeout(569), 0x028e)
    assert.equal(encodeTimeout(151), 0x0096)
    assert.equal(encodeTimeout(0), 0)
  })

  test('the 38-MCLK MSRC timeout of the defaults lasts 2055 us at 14 PCLK', () => {
    // (38 * 53384 + 53384 / 2) / 1000 = 2055.28
    assert.equal(timeoutMclksToUs(38, 14), 2055)
  })

  test('a 33 ms budget with DSS, pre-range and final range gives the final range 0x028E', () => {
    // Fixed steps: 1320 + 960 + 2 * (2055 + 690) + (8087 + 660) + 550 = 17067 us; 15933 us left
    // at 38131 ns per MCLK = 418 MCLKs, plus the 151 pre-range MCLKs = 569 = 0x028E encoded.
    assert.equal(finalRangeTimeoutRegister(33_000, decodeSequenceSteps(0xe8), DEFAULT_TIMEOUTS), 0x028e)
  })

  test('a 20 ms budget, the API minimum, still leaves a final range', () => {
    // 20000 - 17067 = 2933 us = 77 MCLKs, + 151 = 228, 227 fits one byte: 0x00E3.
    assert.equal(finalRangeTimeoutRegister(20_000, decodeSequenceSteps(0xe8), DEFAULT_TIMEOUTS), 0x00e3)
  })

  test('a budget shorter than the fixed steps has no final-range timeout', () => {
    assert.equal(finalRangeTimeoutRegister(17_000, decodeSequenceSteps(0xe8), DEFAULT_TIMEOUTS), undefined)
  })

  test('sequence config 0xE8 enables DSS, pre-range and final range, not MSRC or TCC', () => {
    assert.deepEqual(decodeSequenceSteps(0xe8), { tcc: false, dss: true, msrc: false, preRange: true, finalRange: true })
  })
})

describe('VL53L0X range results', () => {
  // Layout per the API's VL53L0X_GetRangingMeasurementData: status, -, SPADs (8.8), -, signal, ambient, range.
  const result = (status: number, rangeMm: number): Uint8Array =>
    Uint8Array.of(status << 3, 0, 0x0a, 0x00, 0, 0, 0x00, 0x80, 0x00, 0x40, rangeMm >> 8, rangeMm & 0xff)

  test('the 12 result bytes decode to status, rates and range', () => {
    assert.deepEqual(parseRangeResult(result(11, 1000)), { deviceStatus: 11, signalRateMcps: 1, ambientRateMcps: 0.5, rangeMm: 1000 })
  })

  test('a complete range inside 0.03..2 m is good', () => {
    assert.deepEqual(judgeRange(parseRangeResult(result(11, 1234))), { quality: 'good', distanceM: 1.234 })
  })

  test('MSRC no-target (status 4) is a fault without a distance', () => {
    const judged = judgeRange(parseRangeResult(result(4, 8190)))
    assert.equal(judged.quality, 'fault')
    assert.equal(judged.fault, 'no-target')
    assert.ok(Number.isNaN(judged.distanceM))
  })

  test('a complete range beyond 2 m is flagged out-of-range but keeps its value', () => {
    assert.deepEqual(judgeRange(parseRangeResult(result(11, 2500))), { quality: 'fault', fault: 'out-of-range', distanceM: 2.5 })
  })

  test('other device statuses are faults named after the API error', () => {
    assert.equal(judgeRange(parseRangeResult(result(6, 0))).fault, 'range-phase-check')
    assert.equal(judgeRange(parseRangeResult(result(15, 0))).fault, 'range-status-15')
  })
})

describe('VL53L0X reference SPADs', () => {
  test('NVM byte 0x85 names five aperture SPADs', () => {
    assert.deepEqual(parseSpadInfo(0x85), { count: 5, aperture: true })
  })

  test('aperture SPADs start at SPAD 12 and only `count` of them stay enabled', () => {
    // Bits 12..15 are byte 1 bits 4..7 (0xF0), bit 16 is byte 2 bit 0.
    assert.deepEqual([...selectReferenceSpads(new Uint8Array(6).fill(0xff), 5, true)], [0x00, 0xf0, 0x01, 0, 0, 0])
  })

  test('non-aperture SPADs start at SPAD 0 and skip the ones the factory map disables', () => {
    // 0xAA enables SPADs 1, 3, 5, 7: the first three are 0x02 + 0x08 + 0x20.
    assert.deepEqual([...selectReferenceSpads(Uint8Array.of(0xaa, 0xff, 0, 0, 0, 0), 3, false)], [0x2a, 0, 0, 0, 0, 0])
  })
})

describe('VL53L0X DefaultTuningSettings table', () => {
  const page0Values = (): Map<number, number> => {
    const values = new Map<number, number>()
    let page = 0
    for (const [register, value] of DEFAULT_TUNING_SETTINGS) {
      if (register === 0xff) page = value
      else if (page === 0) values.set(register, value)
    }
    assert.equal(page, 0, 'the table ends on page 0')
    return values
  }

  test('only pages 0 and 1 are selected and the table ends on page 0', () => {
    const pages = new Set(DEFAULT_TUNING_SETTINGS.filter(([register]) => register === 0xff).map(([, value]) => value))
    assert.deepEqual([...pages].sort(), [0, 1])
    page0Values()
  })

  test('it leaves the ST defaults the timing arithmetic starts from on page 0', () => {
    const values = page0Values()
    const expected: [number, number][] = [[0x50, 0x06], [0x70, 0x04], [0x46, 0x25], [0x51, 0x00], [0x52, 0x96], [0x71, 0x01], [0x72, 0xfe], [0x44, 0x00], [0x45, 0x20]]
    for (const [register, value] of expected) assert.equal(values.get(register), value, `page 0 register 0x${register.toString(16)}`)
  })
})
