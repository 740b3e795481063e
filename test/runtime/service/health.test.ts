import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { judgeHealth, type HealthSample, type HealthTask } from '../../../runtime/service/health.ts'

const lidar: HealthTask = { id: 'lidar', periodMs: 10, periodic: true, critical: true }
const env: HealthTask = { id: 'env', periodMs: 60_000, periodic: true, critical: true }
const button: HealthTask = { id: 'button', periodMs: 50, periodic: false, critical: true }
const log: HealthTask = { id: 'log', periodMs: 100, periodic: true, critical: false }

function sample(atMs: number, counters: Record<string, [released: number, missed: number]>, paused: string[] = []): HealthSample {
  return { atMs, tasks: Object.entries(counters).map(([id, [released, deadlineMisses]]) => ({ id, released, deadlineMisses })), paused }
}

describe('judgeHealth (the watchdog gate)', () => {
  it('is healthy when every critical task was released and met its deadlines', () => {
    const verdict = judgeHealth([lidar, log], sample(0, { lidar: [0, 0], log: [0, 0] }), sample(5000, { lidar: [500, 0], log: [50, 0] }))
    assert.deepEqual(verdict, { healthy: true, problems: [] })
  })

  it('is unhealthy when a critical periodic task was not released (the executive stalled)', () => {
    const verdict = judgeHealth([lidar], sample(0, { lidar: [100, 0] }), sample(5000, { lidar: [100, 0] }))
    assert.equal(verdict.healthy, false)
    assert.match(verdict.problems[0] ?? '', /^lidar: not released in the last 5\.0 s \(period 10 ms\)$/)
  })

  it('counts misses over 1 % of the releases, not a lone one in hundreds', () => {
    assert.equal(judgeHealth([lidar], sample(0, { lidar: [0, 0] }), sample(5000, { lidar: [500, 5] })).healthy, true, '5 of 500 is 1 %')
    const verdict = judgeHealth([lidar], sample(0, { lidar: [0, 0] }), sample(5000, { lidar: [500, 6] }))
    assert.deepEqual(verdict.problems, ['lidar: missed 6 of 500 deadline(s) in the last 5.0 s'])
  })

  it('does not expect a release of a task whose period is longer than half the window, of an event task, or of a paused one', () => {
    const counters = { env: [3, 0], button: [0, 0], lidar: [100, 0] } as Record<string, [number, number]>
    assert.equal(judgeHealth([env, button], sample(0, counters), sample(5000, counters)).healthy, true)
    assert.equal(judgeHealth([lidar], sample(0, counters, ['lidar']), sample(5000, counters, ['lidar'])).healthy, true, 'paused by a command')
    assert.equal(judgeHealth([lidar], sample(0, counters), sample(5000, counters, ['lidar'])).healthy, true, 'paused during the window')
  })

  it('a missed deadline of an event-released critical task counts too', () => {
    assert.equal(judgeHealth([button], sample(0, { button: [0, 0] }), sample(5000, { button: [3, 1] })).healthy, false)
  })

  it('ignores a non-critical task, but with no critical task at all wants some periodic task released', () => {
    assert.equal(judgeHealth([lidar, log], sample(0, { lidar: [0, 0], log: [0, 0] }), sample(5000, { lidar: [500, 0], log: [0, 40] })).healthy, true)
    const stalled = judgeHealth([log], sample(0, { log: [7, 0] }), sample(5000, { log: [7, 0] }))
    assert.deepEqual(stalled.problems, ['no task was released in the last 5.0 s'])
    assert.equal(judgeHealth([log], sample(0, { log: [7, 0] }), sample(5000, { log: [57, 9] })).healthy, true)
  })
})
