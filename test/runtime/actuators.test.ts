import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { boot } from '../../runtime/boot.ts'
import { loadConfig } from '../../runtime/config/load.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { tempDir } from '../helpers/temp-files.ts'

const { write } = tempDir()
// boards/sim.json: brake BCM 22 safe 1 (braking), buzzer BCM 23 safe 0, statusLed BCM 17 safe 0.
const BRAKE = 22
const BUZZER = 23

describe('outputs and their safe levels', () => {
  it('drives every output to its safe level at boot, before any task runs', async () => {
    const writes: string[] = []
    const file = write('t.json', { version: 1, scheduling: { policy: 'fifo' }, tasks: [{ id: 't', kind: 'synthetic', periodMs: 10, budgetMs: 1, computeMs: 0.1 }] })
    const clock = new VirtualClock()
    const runtime = await boot(await loadConfig('sim', file), { clock, onEvent: () => undefined })
    assert.equal(runtime.sim!.gpio.level(BRAKE), 1)
    assert.equal(runtime.sim!.gpio.level(BUZZER), 0)
    assert.deepEqual(runtime.actuators.levels(), { statusLed: 0, brake: 1, buzzer: 0 })
    runtime.sim!.gpio.onOutput((line, level) => writes.push(`${line}=${level}`))
    runtime.start()
    await clock.advance(25)
    assert.deepEqual(writes, [], 'nothing but boot has written an output')
    const stopped = runtime.stop()
    await clock.advance(5)
    await stopped
  })

  it('a task with the safe-state miss policy that overruns puts every output back to its safe level; stopping does too', async () => {
    const file = write('overrun.json', {
      version: 1,
      scheduling: { policy: 'fifo', admission: 'warn' },
      tasks: [{ id: 'late', kind: 'synthetic', periodMs: 10, budgetMs: 1, computeMs: 0.5, onMiss: 'safe-state' }],
    })
    const config = await loadConfig('sim', file)
    const overrunning = { ...config, table: { ...config.table, tasks: config.table.tasks.map(t => ({ ...t, computeMs: 3 })) } }
    const clock = new VirtualClock()
    const safeStates: string[] = []
    const runtime = await boot(overrunning, { clock, onSafeState: (taskId, reason) => safeStates.push(`${taskId}:${reason}`) })
    const brake = runtime.sim!.gpio.output(BRAKE)
    await brake.write(0) // something released the brake
    runtime.start()
    await clock.advance(5)
    assert.deepEqual(safeStates, ['late:overrun'])
    assert.equal(runtime.sim!.gpio.level(BRAKE), 1)
    await brake.write(0)
    const stopped = runtime.stop()
    await clock.advance(10)
    await stopped
    assert.equal(runtime.sim!.gpio.level(BRAKE), 1, 'stopping left the brake at its safe level')
  })
})
