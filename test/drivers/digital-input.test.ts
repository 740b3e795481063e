import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DigitalInput } from '../../drivers/sensors/digital-input/index.ts'
import { SimGpio } from '../../drivers/sim/sim-gpio.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'

const LINE = 27

function setup(debounceMs = 0) {
  const clock = new VirtualClock()
  const gpio = new SimGpio(clock)
  return { clock, gpio, input: new DigitalInput(gpio.input(LINE, { debounceMs }), clock) }
}

describe('digital input', () => {
  it('reports the level and how often it changed since the previous sample, so a short press is not lost', async () => {
    const { clock, gpio, input } = setup()
    await input.init()
    assert.deepEqual(await input.sample(), { atMs: 0, quality: 'good', level: 0, changes: 0 })
    await clock.advance(5)
    gpio.drive(LINE, 1)
    await clock.advance(2)
    gpio.drive(LINE, 0) // pressed and released between two samples
    await clock.advance(3)
    assert.deepEqual(await input.sample(), { atMs: 10, quality: 'good', level: 0, changes: 2 })
    gpio.drive(LINE, 1)
    assert.deepEqual(await input.sample(), { atMs: 10, quality: 'good', level: 1, changes: 1 })
  })

  it('with the line’s debounce, contact bounce shorter than it is never counted', async () => {
    const { clock, gpio, input } = setup(20)
    await input.init()
    for (const level of [1, 0, 1, 0, 1] as const) {
      gpio.drive(LINE, level)
      await clock.advance(2) // bounces every 2 ms, then stays at 1
    }
    await clock.advance(25)
    assert.deepEqual(await input.sample(), { atMs: 35, quality: 'good', level: 1, changes: 1 })
  })

  it('rejects a sample before init with DriverError usage, and a closed pin with io', async () => {
    const { gpio, clock } = setup()
    const pin = gpio.input(LINE)
    const input = new DigitalInput(pin, clock)
    await assert.rejects(input.sample(), { name: 'DriverError', kind: 'usage' })
    await pin.close()
    await assert.rejects(input.init(), { name: 'DriverError', kind: 'io' })
  })
})
