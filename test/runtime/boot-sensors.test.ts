import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SimBme280 } from '../../drivers/sim/chips/sim-bme280.ts'
import { boot } from '../../runtime/boot.ts'
import { loadConfig } from '../../runtime/config/load.ts'
import type { SchedulerEvent } from '../../runtime/scheduler/scheduler.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { tempDir } from '../helpers/temp-files.ts'

const { write } = tempDir()

async function bootSensors(tasks: unknown[], options: Partial<Pick<Parameters<typeof boot>[1], 'scenario'>> = {}) {
  const file = write(`tasks-${Math.random().toString(36).slice(2)}.json`, { version: 1, scheduling: { policy: 'priority' }, tasks })
  const config = await loadConfig('sim', file)
  const clock = new VirtualClock()
  const events: SchedulerEvent[] = []
  const readings: { taskId: string; device: string; atMs: number; quality: string }[] = []
  const runtime = await boot(config, {
    clock,
    onEvent: event => events.push(event),
    onReading: (taskId, device, reading) => readings.push({ taskId, device, atMs: reading.atMs, quality: reading.quality }),
    ...options,
  })
  const stop = async () => {
    const stopped = runtime.stop()
    await clock.advance(100)
    await stopped
  }
  return { clock, runtime, events, readings, stop }
}

describe('boot with sensors', () => {
  it('samples every sensor of the sim board through its real driver, on each task’s period', async () => {
    const config = await loadConfig('sim', 'tasks/tables/sensors.json')
    const clock = new VirtualClock()
    const runtime = await boot(config, { clock })
    runtime.start()
    await clock.advance(2000)
    const snapshot = runtime.readings.snapshot()
    for (const task of config.table.tasks) {
      const entry = snapshot[task.id]
      assert.ok(entry !== undefined, `${task.id} has no reading after 2 s`)
      // Every release after the chip's own start-up (the MPU-6050's is the longest: reset + 30 ms gyro start) gave a reading.
      assert.ok(entry.count >= Math.floor((2000 - 100) / task.periodMs), `${task.id}: ${entry.count} readings in 2 s at ${task.periodMs} ms`)
    }
    assert.equal(snapshot['close-range']!.reading.quality, 'good')
    const stopped = runtime.stop()
    await clock.advance(100)
    await stopped
  })

  it('reads what the world says: the environment emulator’s temperature reaches the task', async () => {
    const { clock, runtime, stop } = await bootSensors([{ id: 'env', kind: 'sample', device: 'environment', periodMs: 100, budgetMs: 5 }])
    runtime.sim!.chip<SimBme280>('environment').setEnvironment({ temperatureC: 31.5, pressurePa: 95_000, humidityPct: 60 })
    runtime.start()
    await clock.advance(250)
    const reading = runtime.readings.snapshot().env!.reading as unknown as { temperatureC: number; pressurePa: number; humidityPct: number }
    assert.ok(Math.abs(reading.temperatureC - 31.5) < 0.05, String(reading.temperatureC))
    assert.ok(Math.abs(reading.pressurePa - 95_000) < 5, String(reading.pressurePa))
    assert.ok(Math.abs(reading.humidityPct - 60) < 0.1, String(reading.humidityPct))
    await stop()
  })

  it('a device that stops answering fails its task with the bus error’s kind, and it recovers when the device answers again', async () => {
    const { clock, runtime, events, readings, stop } = await bootSensors([{ id: 'imu', kind: 'sample', device: 'imu', periodMs: 10, budgetMs: 2 }])
    runtime.start()
    await clock.advance(100)
    runtime.sim!.i2cFault('imu', 'nack', 5)
    await clock.advance(100)
    const failures = events.filter(event => event.type === 'task-failed')
    assert.ok(failures.length >= 3, `${failures.length} failures`)
    assert.ok(failures.every(event => event.type === 'task-failed' && event.kind === 'nack'), JSON.stringify(failures.map(f => f.type === 'task-failed' && f.kind)))
    const before = readings.length
    await clock.advance(100)
    assert.ok(readings.length >= before + 8, 'sampling resumed once the faults were used up')
    await stop()
  })

  it('transactions of two sensors on one bus are arbitrated: both sample on time when their periods collide', async () => {
    const { clock, runtime, readings, events, stop } = await bootSensors([
      { id: 'imu', kind: 'sample', device: 'imu', periodMs: 50, budgetMs: 2, priority: 5 },
      { id: 'temperature', kind: 'sample', device: 'bodyTemp', periodMs: 50, budgetMs: 2, priority: 1 },
    ])
    runtime.start()
    await clock.advance(495)
    const count = (taskId: string) => readings.filter(reading => reading.taskId === taskId).length
    assert.deepEqual(events, [], 'no failure, miss or overrun')
    assert.ok(count('imu') >= 9 && count('temperature') >= 9, `imu ${count('imu')}, temperature ${count('temperature')} of 10 releases (the first ones wait for the chips' start-up)`)
    assert.deepEqual(runtime.scheduler.metrics().map(m => m.deadlineMisses), [0, 0])
    await stop()
  })

  it('samples a board GPIO input as a digital input, debounced as the board line says', async () => {
    const { clock, runtime, stop } = await bootSensors([{ id: 'button', kind: 'sample', device: 'button', periodMs: 50, budgetMs: 1 }])
    const line = 27 // boards/sim.json: button, BCM 27, debounceMs 20
    runtime.start()
    await clock.advance(10)
    runtime.sim!.gpio.drive(line, 1)
    await clock.advance(1)
    runtime.sim!.gpio.drive(line, 0) // a 1 ms glitch: shorter than the debounce
    await clock.advance(60)
    runtime.sim!.gpio.drive(line, 1) // a real press at 71
    await clock.advance(40)
    const reading = runtime.readings.snapshot().button!.reading as unknown as { level: number; changes: number }
    assert.deepEqual({ level: reading.level, changes: reading.changes }, { level: 1, changes: 1 })
    await stop()
  })

  it('runs a scenario’s world model against the emulators on the scheduler’s clock', async () => {
    const { readScenarioFile } = await import('../../drivers/sim/scenario/parse.ts')
    const scenario = await readScenarioFile('scenarios/patient-events.json')
    const { clock, runtime, stop } = await bootSensors([{ id: 'temperature', kind: 'sample', device: 'bodyTemp', periodMs: 100, budgetMs: 2 }], { scenario })
    runtime.start()
    await clock.advance(1000)
    const reading = runtime.readings.snapshot().temperature!.reading as unknown as { temperatureC: number }
    const report = runtime.scenario!.report() as { temperatureC: number }
    assert.ok(Math.abs(reading.temperatureC - report.temperatureC) < 0.05, `${reading.temperatureC} vs the world's ${report.temperatureC}`)
    await stop()
  })
})
