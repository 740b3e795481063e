import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { periodicTask } from '../../../runtime/scheduler/scheduler.ts'
import type { Policy } from '../../../runtime/scheduler/types.ts'
import { harness, runUntil } from '../../helpers/scheduler-harness.ts'

// holder (prio 1, released 0) takes the bus and sleeps 10 ms holding it (a multi-transaction
// sequence with a wait inside). While it sleeps, low (prio 2, deadline 50) asks for the bus at 1
// and high (prio 8, deadline 30) asks at 2. When holder lets go at 10, the bus goes to high under
// priority (and under edf: earlier deadline), whatever the order of asking.
function busContention(policy: Policy) {
  const granted: string[] = []
  const h = harness(policy, clock => {
    const user = (id: string, priority: number, offsetMs: number, deadlineMs: number, holdMs: number) =>
      periodicTask({
        id,
        priority,
        offsetMs,
        periodMs: 100,
        deadlineMs,
        budgetMs: 5,
        resources: [{ name: 'i2c-1', holdMs }],
        run: async ctx => {
          await ctx.use('i2c-1', async () => {
            granted.push(`${id}@${clock.now()}`)
            await ctx.sleep(holdMs)
          })
        },
      })
    return [user('holder', 1, 0, 90, 10), user('low', 2, 1, 50, 1), user('high', 8, 2, 30, 1)]
  })
  return { ...h, granted }
}

describe('SharedResource', () => {
  for (const policy of ['priority', 'edf'] as const) {
    it(`grants a contended bus in ${policy} order, not arrival order`, async () => {
      const { clock, scheduler, granted } = busContention(policy)
      scheduler.start()
      await runUntil(clock, scheduler, 20)
      assert.deepEqual(granted, ['holder@0', 'high@10', 'low@11'])
    })
  }

  it('fifo grants it in release order', async () => {
    const { clock, scheduler, granted } = busContention('fifo')
    scheduler.start()
    await runUntil(clock, scheduler, 20)
    assert.deepEqual(granted, ['holder@0', 'low@10', 'high@11'])
  })

  it('a job aborted while waiting for the bus leaves the queue and never holds it', async () => {
    const order: string[] = []
    const { clock, scheduler } = harness('priority', clock => [
      periodicTask({ id: 'holder', periodMs: 100, budgetMs: 5, run: ctx => ctx.use('bus', async () => { order.push('holder'); await ctx.sleep(20) }) }),
      periodicTask({
        id: 'impatient', periodMs: 100, deadlineMs: 5, offsetMs: 1, budgetMs: 1, onMiss: 'abort',
        run: ctx => ctx.use('bus', async () => { order.push('impatient') }),
      }),
      periodicTask({ id: 'later', periodMs: 100, offsetMs: 2, budgetMs: 1, run: ctx => ctx.use('bus', async () => { order.push(`later@${clock.now()}`) }) }),
    ])
    scheduler.start()
    await runUntil(clock, scheduler, 30)
    assert.deepEqual(order, ['holder', 'later@20'])
    const impatient = scheduler.metrics()[1]!
    assert.equal(impatient.aborted, 1)
    assert.equal(impatient.deadlineMisses, 1)
  })

  it('serves callers outside any job after waiting jobs', async () => {
    const { clock, scheduler } = harness('priority', () => [])
    const bus = scheduler.resource('bus')
    const order: number[] = []
    const first = bus.run(async () => { await clock.sleep(5); order.push(1) })
    const second = bus.run(async () => { order.push(2) })
    await clock.advance(6)
    await Promise.all([first, second])
    assert.deepEqual(order, [1, 2])
    await runUntil(clock, scheduler, 7)
  })
})
