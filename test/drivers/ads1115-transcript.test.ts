import assert from 'node:assert/strict'
import { it } from 'node:test'
import { Ads1115 } from '../../drivers/sensors/ads1115/index.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { scriptedI2cDevice } from '../helpers/scripted-i2c.ts'

it('initialises and samples all four inputs with exactly the datasheet bus traffic', async () => {
  // Config, defaults: MUX 1xx (AINx/GND), PGA 001 (±4.096 V), MODE 1 (single-shot), DR 100
  // (128 SPS), comparator off (11): 4383h for AIN0; OS (bit 15) set starts a conversion.
  const conversion = (mux: number, reply: [number, number]) => [
    { write: [0x01, 0x80 | (mux << 4) | 0x03, 0x83] }, // config, OS = 1: start
    { writeRead: [0x01], reply: [0x80 | (mux << 4) | 0x03, 0x83] }, // config: OS reads 1, done
    { writeRead: [0x00], reply }, // conversion register, MSB first
  ]
  const device = scriptedI2cDevice(0x48, [
    { write: [0x01, 0x43, 0x83] }, // config for AIN0, OS = 0: no conversion
    { writeRead: [0x01], reply: [0xc3, 0x83] }, // read back; OS reads 1 (idle)
    ...conversion(0b100, [0x20, 0x00]), // 2000h = 8192 LSB = 1.024 V
    ...conversion(0b101, [0x00, 0x01]), // 0001h = +125 µV
    ...conversion(0b110, [0xff, 0xff]), // FFFFh = −125 µV
    ...conversion(0b111, [0x00, 0x00]),
  ])
  const clock = new VirtualClock()
  const driver = new Ads1115(device, clock)

  await driver.init()
  const sampled = driver.sample()
  await clock.advance(100)
  const reading = await sampled

  device.done()
  // atMs: four conversions of 9 ms each (1/128 s plus the ±10 % data-rate variation).
  assert.deepEqual(reading, { atMs: 36, quality: 'good', voltageA0V: 1.024, voltageA1V: 125e-6, voltageA2V: -125e-6, voltageA3V: 0 })
})
