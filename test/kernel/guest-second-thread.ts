// A second guest worker, started after the contracts' worker has ended (guest-main.ts).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Level } from '../../drivers/hal/gpio.ts'
import { MOCKUP_LINES, mockupDrive, openMockupGpio, openStubBus, STUB_ADDRESS } from './guest-world.ts'

describe('a second worker thread in the same process', () => {
  it('opens GPIO through onoff again and gets an edge', async () => {
    const gpio = await openMockupGpio()
    const line = MOCKUP_LINES - 2
    mockupDrive(line, 0)
    const pin = gpio.input(line)
    const edge = new Promise<Level>(resolve => pin.watch('rising', resolve))
    mockupDrive(line, 1)
    assert.equal(await edge, 1)
    await pin.close()
  })

  it('opens the I2C bus through i2c-bus again', async () => {
    const bus = await openStubBus()
    await bus.write(STUB_ADDRESS, Uint8Array.of(0x20, 0x5a))
    assert.deepEqual(await bus.writeRead(STUB_ADDRESS, Uint8Array.of(0x20), 1), Uint8Array.of(0x5a))
    await bus.close()
  })
})
