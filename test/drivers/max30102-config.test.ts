import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { createSimSerialPair } from '../../drivers/sim/sim-serial.ts'
import {
  configProblems,
  DEFAULT_CONFIG,
  fifoConfigByte,
  ledPulseAmplitude,
  modeByte,
  outputRateHz,
  spo2ConfigByte,
  type Max30102Config,
} from '../../drivers/sensors/max30102/config.ts'
import { max30102 } from '../../drivers/sensors/max30102/index.ts'

const config = (changes: Partial<Max30102Config>): Max30102Config => ({ ...DEFAULT_CONFIG, ...changes })

// Register bytes worked by hand from the datasheet's register descriptions (19-7740 Rev 1):
// SPO2_CONFIG = 0 | SPO2_ADC_RGE[1:0] | SPO2_SR[2:0] | LED_PW[1:0]; FIFO_CONFIG = SMP_AVE[2:0] |
// FIFO_ROLLOVER_EN | FIFO_A_FULL[3:0]; MODE 0b010 heart rate, 0b011 SpO2.

describe('MAX30102 configuration registers', () => {
  it('encodes 4096 nA, 100 sps and 411 µs as SPO2_CONFIG 0x27', () => {
    // 0 01 001 11
    assert.equal(spo2ConfigByte(DEFAULT_CONFIG), 0x27)
  })

  it('encodes 16384 nA, 1600 sps and 69 µs as SPO2_CONFIG 0x78', () => {
    // 0 11 110 00
    assert.equal(spo2ConfigByte(config({ adcRangeNa: 16384, sampleRateSps: 1600, pulseWidthUs: 69 })), 0x78)
  })

  it('puts the averaging in SMP_AVE with rollover off and A_FULL at zero free slots', () => {
    assert.equal(fifoConfigByte(config({ sampleAveraging: 1 })), 0x00)
    assert.equal(fifoConfigByte(config({ sampleAveraging: 4 })), 0x40) // 010 0 0000
    assert.equal(fifoConfigByte(config({ sampleAveraging: 32 })), 0xa0) // 101 0 0000
  })

  it('sets LED pulse amplitudes in 0.2 mA steps (0x01 = 0.2 mA, 0x02 = 0.4 mA)', () => {
    assert.equal(ledPulseAmplitude(0), 0x00)
    assert.equal(ledPulseAmplitude(0.2), 0x01)
    assert.equal(ledPulseAmplitude(0.4), 0x02)
    assert.equal(ledPulseAmplitude(7), 0x23)
  })

  it('selects MODE 0b011 for spo2 and 0b010 for heart-rate', () => {
    assert.equal(modeByte('spo2'), 0x03)
    assert.equal(modeByte('heart-rate'), 0x02)
  })

  it('fills the FIFO at the ADC rate divided by the on-chip averaging', () => {
    assert.equal(outputRateHz(config({ sampleRateSps: 400, sampleAveraging: 4 })), 100)
  })
})

describe('MAX30102 allowed settings', () => {
  it('accepts the defaults', () => {
    assert.deepEqual(configProblems(DEFAULT_CONFIG), [])
  })

  it('refuses pulse widths too long for the sample rate, per the SpO2-mode table', () => {
    assert.match(configProblems(config({ pulseWidthUs: 411, sampleRateSps: 800 })).join(), /^sampleRateSps: .*at most 400 sps/)
    assert.match(configProblems(config({ pulseWidthUs: 118, sampleRateSps: 1600, sampleAveraging: 1 })).join(), /at most 1000 sps/)
    assert.equal(configProblems(config({ pulseWidthUs: 69, sampleRateSps: 3200 })).length, 1)
    assert.deepEqual(configProblems(config({ pulseWidthUs: 69, sampleRateSps: 1600 })), [])
  })

  it('allows faster rates in heart-rate mode, where only the red LED converts', () => {
    assert.deepEqual(configProblems(config({ mode: 'heart-rate', pulseWidthUs: 411, sampleRateSps: 1000 })), [])
    assert.deepEqual(configProblems(config({ mode: 'heart-rate', pulseWidthUs: 69, sampleRateSps: 3200 })), [])
    assert.equal(configProblems(config({ mode: 'heart-rate', pulseWidthUs: 411, sampleRateSps: 1600 })).length, 1)
  })

  it('refuses averaging that leaves too few samples per second for the pulse analysis', () => {
    assert.match(configProblems(config({ sampleRateSps: 50, sampleAveraging: 4 })).join(), /^sampleAveraging: /)
  })
})

describe('MAX30102 descriptor', () => {
  it('fills every setting in with its default', () => {
    assert.deepEqual(max30102.settings.parse({}), DEFAULT_CONFIG)
  })

  it('refuses unknown settings and impossible combinations with the path of the field', () => {
    assert.equal(max30102.settings.safeParse({ ledCurrent: 7 }).success, false)
    const result = max30102.settings.safeParse({ sampleRateSps: 800 })
    assert.equal(result.success, false)
    assert.deepEqual(result.error?.issues.map(issue => issue.path), [['sampleRateSps']])
    assert.equal(max30102.settings.safeParse({ sampleRateSps: 150 }).success, false)
  })

  it('answers at 0x57 only and lists its channels with units', () => {
    assert.deepEqual(max30102.addresses, [0x57])
    assert.deepEqual(max30102.channels.map(channel => `${channel.name} ${channel.unit}`), ['heartRateBpm bpm', 'spo2Pct %', 'perfusionPct %', 'irRaw counts', 'redRaw counts'])
  })

  it('refuses a port that is not I2C with DriverError kind usage', () => {
    const clock = new VirtualClock()
    const [line] = createSimSerialPair(clock)
    assert.throws(() => max30102.create({ bus: 'serial', line }, clock, DEFAULT_CONFIG), { name: 'DriverError', kind: 'usage' })
  })
})
