import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { boot } from '../../runtime/boot.ts'
import { loadConfig } from '../../runtime/config/load.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { tempDir } from '../helpers/temp-files.ts'

const { write } = tempDir()

describe('boot', () => {
  it('runs a table on the sim board: periodic tasks on their grid, a sporadic task on each edge of an interrupt line', async () => {
    const file = write('tasks.json', {
      version: 1,
      scheduling: { policy: 'priority' },
      tasks: [
        { id: 'sampler', kind: 'synthetic', periodMs: 10, budgetMs: 1, computeMs: 0.5, priority: 5 },
        { id: 'on-button', kind: 'synthetic', periodMs: 50, budgetMs: 2, computeMs: 1, priority: 9, release: { gpio: 'pulseIrq', edge: 'falling' } },
      ],
    })
    const config = await loadConfig('sim', file)
    const clock = new VirtualClock()
    const runtime = await boot(config, { clock })
    const button = config.board.gpio.pulseIrq!.line // no debounce on this line
    runtime.start()
    await clock.advance(15)
    runtime.sim!.gpio.drive(button, 1)
    runtime.sim!.gpio.drive(button, 0) // falling edge at 15: released at once
    await clock.advance(5)
    runtime.sim!.gpio.drive(button, 1)
    runtime.sim!.gpio.drive(button, 0) // at 20: inside the 50 ms minimum inter-arrival time, deferred to 65
    await clock.advance(44.5) // t = 64.5
    assert.equal(runtime.scheduler.metrics()[1]!.released, 1, 'the second edge waits for the minimum inter-arrival time')
    await clock.advance(1) // t = 65.5
    assert.equal(runtime.scheduler.metrics()[1]!.released, 2)
    await clock.advance(34)
    const stopped = runtime.stop()
    await clock.advance(5)
    await stopped
    const [sampler, onButton] = runtime.scheduler.metrics()
    assert.equal(sampler!.completed, 10) // released at 0, 10 … 90
    assert.equal(onButton!.completed, 2)
    assert.equal(onButton!.lateness.maxMs, 0)
    assert.equal(sampler!.lateness.maxMs, 0) // the interrupt jobs (15-16, 65-66) never overlap a sampler release
    assert.equal(sampler!.deadlineMisses + onButton!.deadlineMisses, 0)
  })

  it('stops listening to the button once stopped', async () => {
    const file = write('tasks2.json', {
      version: 1,
      scheduling: { policy: 'fifo' },
      tasks: [{ id: 'on-button', kind: 'synthetic', periodMs: 5, budgetMs: 1, computeMs: 0.5, release: { gpio: 'button', edge: 'both' } }],
    })
    const config = await loadConfig('sim', file)
    const clock = new VirtualClock()
    const runtime = await boot(config, { clock })
    runtime.start()
    await runtime.stop()
    runtime.sim!.gpio.drive(config.board.gpio.button!.line, 1)
    await clock.advance(10)
    assert.equal(runtime.scheduler.metrics()[0]!.released, 0)
  })
})

describe('boot with a debounced input', () => {
  it('releases a task once per settled press of a bouncing button (the board line debounces for 20 ms)', async () => {
    const file = write('debounced.json', {
      version: 1,
      scheduling: { policy: 'fifo' },
      tasks: [{ id: 'on-press', kind: 'synthetic', periodMs: 50, budgetMs: 1, computeMs: 0.1, release: { gpio: 'button', edge: 'rising' } }],
    })
    const config = await loadConfig('sim', file)
    const clock = new VirtualClock()
    const runtime = await boot(config, { clock })
    const button = config.board.gpio.button!.line
    runtime.start()
    for (const level of [1, 0, 1, 0, 1] as const) {
      runtime.sim!.gpio.drive(button, level) // a contact bouncing every 2 ms, then pressed
      await clock.advance(2)
    }
    await clock.advance(15) // t = 25: still inside 20 ms of the last bounce
    assert.equal(runtime.scheduler.metrics()[0]!.released, 0)
    await clock.advance(10)
    assert.equal(runtime.scheduler.metrics()[0]!.released, 1)
    const stopped = runtime.stop()
    await clock.advance(5)
    await stopped
  })
})
