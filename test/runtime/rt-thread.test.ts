import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { loadConfig } from '../../runtime/config/load.ts'
import { startRtThread } from '../../runtime/rt-thread/host.ts'
import type { WireEvent } from '../../runtime/rt-thread/protocol.ts'
import { tempDir } from '../helpers/temp-files.ts'

// The rt thread is a real worker thread on real time: this test runs it for a few hundred ms and
// checks what crosses the thread boundary, not timing (the jitter benchmark measures that).
const { write } = tempDir()

describe('rt thread', () => {
  it('runs the scheduler in a worker, answers metrics, forwards events, and stops cleanly', async () => {
    const file = write('tasks.json', {
      version: 1,
      scheduling: { policy: 'edf', admission: 'warn' },
      tasks: [
        { id: 'fast', kind: 'synthetic', periodMs: 5, budgetMs: 2, computeMs: 0.1 },
        { id: 'overrun', kind: 'synthetic', periodMs: 20, budgetMs: 0.5, computeMs: 0.1, onMiss: 'safe-state' },
      ],
    })
    const config = await loadConfig('sim', file)
    // Make 'overrun' really overrun: its declared budget is below what it computes.
    const patched = { ...config, timings: config.timings, table: { ...config.table, tasks: config.table.tasks.map(t => (t.id === 'overrun' ? { ...t, computeMs: 2, budgetMs: 0.5 } : t)) } }
    const events: WireEvent[] = []
    const thread = await startRtThread({ config: patched, clock: 'precise', onEvent: event => events.push(event) })
    assert.ok(thread.clockStatus !== null)
    await delay(300)
    const { metrics: live } = await thread.metrics()
    assert.ok(live[0]!.released > 10, `fast released ${live[0]!.released} times in 300 ms`)
    const { metrics: final } = await thread.stop()
    assert.ok(final[0]!.completed >= live[0]!.completed)
    assert.ok(events.some(e => e.type === 'budget-overrun' && e.taskId === 'overrun'), JSON.stringify(events.slice(0, 3)))
    assert.ok(events.some(e => e.type === 'safe-state' && e.taskId === 'overrun' && e.reason === 'overrun'))
    await assert.rejects(thread.metrics(), /exited|rt thread/)
  })

  it('rejects with the thread’s own message when the runtime cannot start there (a Pi board on a machine without GPIO sysfs)', async () => {
    const file = write('gpio.json', {
      version: 1,
      scheduling: { policy: 'fifo' },
      tasks: [{ id: 'on-button', kind: 'synthetic', periodMs: 50, budgetMs: 1, computeMs: 0.1, release: { gpio: 'button', edge: 'falling' } }],
    })
    const config = await loadConfig('raspberry-pi-4b', file)
    await assert.rejects(startRtThread({ config, clock: 'system', onEvent: () => undefined }), /no GPIO sysfs at \/sys\/class\/gpio/)
  })
})
