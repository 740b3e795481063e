import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { boot } from '../../runtime/boot.ts'
import { loadConfig } from '../../runtime/config/load.ts'
import type { SchedulerEvent } from '../../runtime/scheduler/scheduler.ts'
import type { TaskMetricsSnapshot } from '../../runtime/scheduler/task-metrics.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { POLICIES } from '../../tasks/vocabulary.ts'
import { tempDir } from '../helpers/temp-files.ts'

const TABLE = 'tasks/mixed-policies.json'
const { write } = tempDir()

/** How long each policy runs, ms. Metrics are read here, before stop() aborts the jobs still running. */
const RUN_MS = 1995
/** When the button is pressed, ms: further apart than on-button's 100 ms minimum inter-arrival time. */
const PRESSES_MS = [300, 800, 1300, 1700]
/** How long each press holds the button down, ms: longer than the line's 20 ms debounce. */
const HOLD_MS = 60

interface Table {
  scheduling: { policy: string; quantumMs?: number }
  tasks: { id: string; kind: string; periodMs: number; release?: unknown }[]
}

/**
 * The policy is per table (tasks/schema.ts), so each policy runs on a copy of the one table with
 * scheduling.policy rewritten: one set of timings, checked under all four, cannot drift apart.
 */
function tableUnder(policy: string): string {
  const table = JSON.parse(readFileSync(TABLE, 'utf8')) as Table
  table.scheduling = { ...table.scheduling, policy, ...(policy === 'rr' ? { quantumMs: 1 } : {}) }
  return write(`mixed-${policy}.json`, table)
}

async function runUnder(policy: string) {
  const config = await loadConfig('sim', tableUnder(policy))
  const clock = new VirtualClock()
  const events: SchedulerEvent[] = []
  const runtime = await boot(config, { clock, onEvent: event => events.push(event) })
  const button = config.board.gpio.button!.line // boards/sim.json: BCM 27, debounced 20 ms
  runtime.start()
  for (const pressMs of PRESSES_MS) {
    await clock.advance(pressMs - clock.now())
    // SimGpio levels are logical (active-low already applied): 1 is pressed. Letting go is the falling edge
    // that releases on-button, once the line has been stable for the debounce.
    runtime.sim!.gpio.drive(button, 1)
    await clock.advance(HOLD_MS)
    runtime.sim!.gpio.drive(button, 0)
  }
  await clock.advance(RUN_MS - clock.now())
  const metrics = new Map(runtime.scheduler.metrics().map(snapshot => [snapshot.id, snapshot]))
  const stopped = runtime.stop()
  await clock.advance(100)
  await stopped
  return { config, events, metrics }
}

describe(`${TABLE} under each scheduling policy, on the sim board`, () => {
  const table = JSON.parse(readFileSync(TABLE, 'utf8')) as Table
  const periodic = table.tasks.filter(task => task.release === undefined)
  const sporadic = table.tasks.filter(task => task.release !== undefined)

  it('has sample and synthetic tasks, a chunked one and a sporadic one', () => {
    assert.deepEqual([...new Set(table.tasks.map(task => task.kind))].sort(), ['sample', 'synthetic'])
    assert.ok(table.tasks.some(task => 'chunkMs' in task))
    assert.equal(sporadic.length, 1)
  })

  for (const policy of POLICIES) {
    it(`${policy}: admitted, then no deadline miss, every release on time, one job per press, no failure`, async () => {
      const { config, events, metrics } = await runUnder(policy)
      assert.equal(config.settings.policy, policy)
      assert.equal(config.admission.feasible, true, config.admission.problems.join('\n'))
      assert.deepEqual(events.filter(event => event.type !== 'budget-overrun'), [], 'no deadline miss, no failed job')
      assert.deepEqual(events, [], 'no budget overrun')
      const of = (id: string): TaskMetricsSnapshot => metrics.get(id)!
      for (const task of periodic) {
        const expected = Math.floor(RUN_MS / task.periodMs) + 1 // released at 0, then on its grid
        const { released } = of(task.id)
        assert.ok(Math.abs(released - expected) <= 1, `${task.id}: released ${released} times, expected ${expected} ± 1`)
      }
      for (const task of sporadic) assert.equal(of(task.id).released, PRESSES_MS.length, `${task.id}: once per press`)
      for (const task of table.tasks) {
        const { deadlineMisses, failed, aborted, skippedReleases } = of(task.id)
        assert.deepEqual({ deadlineMisses, failed, aborted, skippedReleases }, { deadlineMisses: 0, failed: 0, aborted: 0, skippedReleases: 0 }, task.id)
      }
      // A synthetic job holds the processor for exactly its computeMs, within its budget, so its measured
      // response must stay within the analysis' bound. (A sample job's response also includes its chips'
      // conversion waits, which the analysis does not count: they are dispatch points, not execution.)
      for (const analysed of config.admission.tasks) {
        if (table.tasks.find(task => task.id === analysed.id)?.kind !== 'synthetic') continue
        const worstMs = of(analysed.id).responseTime.maxMs
        assert.ok(worstMs <= analysed.responseTimeMs! + 1e-6, `${analysed.id}: response ${worstMs} ms exceeds the ${policy} bound ${analysed.responseTimeMs} ms`)
      }
    })
  }
})
