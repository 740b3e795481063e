import assert from 'node:assert/strict'
import { it } from 'node:test'
import { Max30205 } from '../../drivers/sensors/max30205/index.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { scriptedI2cDevice } from '../helpers/scripted-i2c.ts'

it('initialises and takes one one-shot sample with exactly the datasheet bus traffic', async () => {
  const device = scriptedI2cDevice(0x48, [
    { write: [0x01, 0x01] }, // configuration: shutdown (D0), normal format, timeout enabled
    { writeRead: [0x01], reply: [0x01] }, // read back: the part keeps it
    // sample()
    { write: [0x01, 0x81] }, // configuration: one-shot (D7) from shutdown
    { writeRead: [0x00], reply: [0x25, 0x00] }, // temperature 0x2500, MSB first: 37 °C
  ])
  const clock = new VirtualClock()
  const driver = new Max30205(device, clock)

  await driver.init()
  const sampled = driver.sample()
  await clock.advance(50)
  const reading = await sampled

  device.done()
  assert.equal(reading.temperatureC, 37)
  assert.equal(reading.atMs, 50) // after the 50 ms maximum conversion time
})
