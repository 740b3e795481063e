import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { codeFromBytes, configKept, configWord, isFullScale, lsbSizeV, voltageFromCode } from '../../drivers/sensors/ads1115/conversion.ts'
import { DATA_RATES_SPS, FULL_SCALE_RANGES_V } from '../../drivers/sensors/ads1115/registers.ts'
import { ads1115Settings } from '../../drivers/sensors/ads1115/settings.ts'
import { assertNear } from '../helpers/virtual-time.ts'

/**
 * Vectors from the ADS111x datasheet (TI SBAS444): the "Full-Scale Range and Corresponding LSB
 * Size" table, the "Output Codes" table of the data format section (+FS·(2^15 − 1)/2^15 → 7FFFh,
 * +FS/2^15 → 0001h, 0 → 0000h, −FS/2^15 → FFFFh, ≤ −FS → 8000h) and the config register's
 * reset value 8583h.
 */
const lsbTable: [number, number][] = [
  [6.144, 187.5e-6],
  [4.096, 125e-6],
  [2.048, 62.5e-6],
  [1.024, 31.25e-6],
  [0.512, 15.625e-6],
  [0.256, 7.8125e-6],
]

/** Room for floating-point rounding only. */
const EXACT = 1e-12

describe('ADS1115 output codes', () => {
  for (const [fullScaleRangeV, lsbV] of lsbTable) {
    it(`has an LSB of ${lsbV * 1e6} µV at ±${fullScaleRangeV} V`, () => assertNear(lsbSizeV(fullScaleRangeV), lsbV, EXACT, 'lsbSizeV'))
  }

  it('reads the output-code table at ±4.096 V: 7FFFh, 0001h, 0000h, FFFFh, 8000h', () => {
    const fs = 4.096
    assertNear(voltageFromCode(codeFromBytes(Uint8Array.of(0x7f, 0xff)), fs), (fs * (2 ** 15 - 1)) / 2 ** 15, EXACT, 'code 7FFFh')
    assertNear(voltageFromCode(codeFromBytes(Uint8Array.of(0x00, 0x01)), fs), fs / 2 ** 15, EXACT, 'code 0001h')
    assertNear(voltageFromCode(codeFromBytes(Uint8Array.of(0x00, 0x00)), fs), 0, EXACT, 'code 0000h')
    assertNear(voltageFromCode(codeFromBytes(Uint8Array.of(0xff, 0xff)), fs), -fs / 2 ** 15, EXACT, 'code FFFFh')
    assertNear(voltageFromCode(codeFromBytes(Uint8Array.of(0x80, 0x00)), fs), -fs, EXACT, 'code 8000h')
  })

  it('treats only 7FFFh and 8000h as full scale', () => {
    assert.equal(isFullScale(codeFromBytes(Uint8Array.of(0x7f, 0xff))), true)
    assert.equal(isFullScale(codeFromBytes(Uint8Array.of(0x80, 0x00))), true)
    assert.equal(isFullScale(codeFromBytes(Uint8Array.of(0x7f, 0xfe))), false)
    assert.equal(isFullScale(codeFromBytes(Uint8Array.of(0x80, 0x01))), false)
  })

  it('builds the reset config 8583h, but with MUX = AIN0/GND, for AIN0 at ±2.048 V and 128 SPS', () => {
    const settings = ads1115Settings.parse({ fullScaleRangeV: 2.048, dataRateSps: 128 })
    // 8583h: OS 1, MUX 000 (AIN0-AIN1), PGA 010, MODE 1, DR 100, COMP_QUE 11; MUX 100 adds 4000h.
    assert.equal(configWord(0, settings, true), 0x8583 | 0x4000)
    assert.equal(configWord(0, settings, false), 0x0583 | 0x4000)
  })

  it('selects MUX 100..111 for AIN0..AIN3 against GND', () => {
    const settings = ads1115Settings.parse({})
    assert.deepEqual([0, 1, 2, 3].map(channel => (configWord(channel as 0 | 1 | 2 | 3, settings, false) >> 12) & 0b111), [0b100, 0b101, 0b110, 0b111])
  })
})

describe('ADS1115 config read-back', () => {
  const every = FULL_SCALE_RANGES_V.flatMap(fullScaleRangeV =>
    DATA_RATES_SPS.flatMap(dataRateSps => ([0, 1, 2, 3] as const).map(channel => ({ channel, settings: ads1115Settings.parse({ fullScaleRangeV, dataRateSps }) }))),
  )

  it('accepts the written word with OS reading either way (bit 15 is status: 0 converting, 1 idle)', () => {
    for (const { channel, settings } of every) {
      const word = configWord(channel, settings, true)
      assert.equal(configKept(word, word), true)
      assert.equal(configKept(word, word & 0x7fff), true)
    }
  })

  it('never accepts FFFFh or 0000h (a bus stuck high or low) for any channel, range or rate we can write', () => {
    // Config register layout: OS[15] MUX[14:12] PGA[11:9] MODE[8] DR[7:5] COMP_MODE[4] COMP_POL[3] COMP_LAT[2]
    // COMP_QUE[1:0]. FFFFh would need PGA 111 and COMP_MODE/POL/LAT = 1; we write PGA ≤ 101, those bits 0, MODE 1.
    assert.equal(every.length, 4 * 6 * 8)
    for (const { channel, settings } of every) {
      const word = configWord(channel, settings, true)
      assert.equal(configKept(word, 0xffff), false, `0x${word.toString(16)} vs FFFFh`)
      assert.equal(configKept(word, 0x0000), false, `0x${word.toString(16)} vs 0000h`)
    }
  })

  it('does not accept the reset value 8583h (MUX AIN0-AIN1, ±2.048 V), which a part that lost power reads', () => {
    for (const { channel, settings } of every) assert.equal(configKept(configWord(channel, settings, true), 0x8583), false)
  })
})
