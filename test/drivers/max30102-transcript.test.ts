import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Max30102 } from '../../drivers/sensors/max30102/index.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { scriptedI2cDevice, type ScriptedTransaction } from '../helpers/scripted-i2c.ts'

// The bus traffic of init() and sample(), byte by byte, worked from the datasheet register map
// (19-7740 Rev 1) for the default settings: SpO2 mode, 100 sps, 411 µs (18 bits), 4096 nA, no
// averaging, 7 mA on both LEDs.
const INIT: readonly ScriptedTransaction[] = [
  { writeRead: [0xfe], reply: [0x03, 0x15] }, // REV_ID, PART_ID = 0x15
  { write: [0x09, 0x40] }, // MODE_CONFIG: RESET
  { writeRead: [0x09], reply: [0x00] }, // RESET has cleared itself
  { write: [0x08, 0x00] }, // FIFO_CONFIG: SMP_AVE 000 (1), FIFO_ROLLOVER_EN 0, FIFO_A_FULL 0
  { write: [0x0a, 0x27] }, // SPO2_CONFIG: ADC_RGE 01 (4096 nA), SR 001 (100 sps), LED_PW 11 (411 µs)
  { write: [0x0c, 0x23, 0x23] }, // LED1_PA, LED2_PA: 35 × 0.2 mA = 7 mA
  { write: [0x04, 0x00, 0x00, 0x00] }, // FIFO_WR_PTR, OVF_COUNTER, FIFO_RD_PTR cleared before entering the mode
  { write: [0x09, 0x03] }, // MODE_CONFIG: MODE 011, SpO2
]

describe('MAX30102 bus transcript', () => {
  it('checks the part id, resets, configures and enters SpO2 mode last, then drains the FIFO in two transactions', async () => {
    const device = scriptedI2cDevice(0x57, [
      ...INIT,
      // INTERRUPT_STATUS_1 .. FIFO_RD_PTR: PPG_RDY, write pointer 2, nothing lost, read pointer 0
      { writeRead: [0x00], reply: [0x40, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00] },
      // FIFO_DATA, 2 samples × (red, IR) × 3 bytes; sample 2: red 0x1_2345, IR 0x2_ABCD
      { writeRead: [0x07], reply: [0x01, 0x00, 0x00, 0x02, 0x00, 0x00, 0x01, 0x23, 0x45, 0x02, 0xab, 0xcd] },
    ])
    const clock = new VirtualClock()
    const driver = new Max30102(device, clock)
    await driver.init()
    const reading = await driver.sample()
    device.done()
    assert.deepEqual(reading, { atMs: 0, quality: 'fault', fault: 'warming-up', redRaw: 0x12345, irRaw: 0x2abcd, samplesRead: 2, samplesLost: 0 })
  })

  it('reads a full FIFO (equal pointers, OVF_COUNTER 3) as one 192-byte FIFO_DATA read', async () => {
    const full = new Array<number>(32 * 6).fill(0x01)
    const device = scriptedI2cDevice(0x57, [
      ...INIT,
      { writeRead: [0x00], reply: [0x80, 0x00, 0x00, 0x00, 0x0b, 0x03, 0x0b] },
      { writeRead: [0x07], reply: full },
    ])
    const driver = new Max30102(device, new VirtualClock())
    await driver.init()
    const reading = await driver.sample()
    device.done()
    assert.deepEqual([reading.samplesRead, reading.samplesLost, reading.fault], [32, 3, 'fifo-overflow'])
  })

  it('rejects with kind io when the FIFO_DATA read fails, and reads the pointers afresh on the next sample', async () => {
    const device = scriptedI2cDevice(0x57, [
      ...INIT,
      { writeRead: [0x00], reply: [0x40, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00] },
      { writeRead: [0x07], reply: [0, 0, 0, 0, 0, 0], fail: 'nack' },
      { writeRead: [0x00], reply: [0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01] },
    ])
    const driver = new Max30102(device, new VirtualClock())
    await driver.init()
    await assert.rejects(driver.sample(), { name: 'DriverError', kind: 'io' })
    const reading = await driver.sample()
    device.done()
    assert.deepEqual([reading.samplesRead, reading.fault], [0, 'warming-up'])
  })
})
