import assert from 'node:assert/strict'
import { it } from 'node:test'
import { Ads1115, ads1115Settings } from '../../drivers/sensors/ads1115/index.ts'
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

it('rejects when the OS poll reads FFFFh, and never reads the conversion register', async () => {
  const device = scriptedI2cDevice(0x48, [
    { write: [0x01, 0x43, 0x83] },
    { writeRead: [0x01], reply: [0xc3, 0x83] },
    { write: [0x01, 0xc3, 0x83] }, // AIN0, OS = 1: start
    { writeRead: [0x01], reply: [0xff, 0xff] }, // SDA stuck high: "idle", but bits 14:0 are not what was written
  ])
  const clock = new VirtualClock()
  const driver = new Ads1115(device, clock, ads1115Settings.parse({ channels: [0] }))

  await driver.init()
  const sampled = driver.sample()
  sampled.catch(() => undefined) // settled and checked below, after the clock has moved
  await clock.advance(100)

  await assert.rejects(sampled, { name: 'DriverError', kind: 'identity', message: 'ads1115 sample: AIN0: config read back 0xffff after writing 0xc383 (bits 14:0 differ): reads stuck at FFh, a reset part, or another device answering' })
  device.done()
})

it('rejects when a conversion finds the config back at its reset value 8583h (the part lost power)', async () => {
  const device = scriptedI2cDevice(0x48, [
    { write: [0x01, 0x43, 0x83] },
    { writeRead: [0x01], reply: [0xc3, 0x83] },
    { write: [0x01, 0xc3, 0x83] },
    { writeRead: [0x01], reply: [0x85, 0x83] },
  ])
  const clock = new VirtualClock()
  const driver = new Ads1115(device, clock, ads1115Settings.parse({ channels: [0] }))

  await driver.init()
  const sampled = driver.sample()
  sampled.catch(() => undefined)
  await clock.advance(100)

  await assert.rejects(sampled, { name: 'DriverError', kind: 'identity', message: /config read back 0x8583 after writing 0xc383/ })
  device.done()
})

it('marks a conversion register at 8000h (negative full scale) as out-of-range when the config reads back fine', async () => {
  const device = scriptedI2cDevice(0x48, [
    { write: [0x01, 0x43, 0x83] },
    { writeRead: [0x01], reply: [0xc3, 0x83] },
    { write: [0x01, 0xc3, 0x83] },
    { writeRead: [0x01], reply: [0xc3, 0x83] },
    { writeRead: [0x00], reply: [0x80, 0x00] }, // ≤ −FS: clipped (data format table)
  ])
  const clock = new VirtualClock()
  const driver = new Ads1115(device, clock, ads1115Settings.parse({ channels: [0] }))

  await driver.init()
  const sampled = driver.sample()
  await clock.advance(100)

  assert.deepEqual(await sampled, { atMs: 9, quality: 'fault', fault: 'out-of-range', voltageA0V: -4.096 })
  device.done()
})
