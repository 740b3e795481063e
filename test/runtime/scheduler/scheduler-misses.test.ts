import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SchedulerError } from '../../../runtime/scheduler/errors.ts'
import { periodicTask } from '../../../runtime/scheduler/scheduler.ts'
import type { MissPolicy } from '../../../runtime/scheduler/types.ts'
import { computeTask, harness, runUntil, timeline } from '../../helpers/scheduler-harness.ts'

// One task, T = D = 10, that takes 15 ms on its first job and 2 ms afterwards.
// With any policy the first job (0-15) misses its deadline at 10 (detected at 10 + 1 µs).
function lateFirstJob(onMiss: MissPolicy) {
  return harness('priority', (clock, runs) => {
    let jobs = 0
    return [
      periodicTask({
        id: 'sampler',
        periodMs: 10,
        budgetMs: 5,
        onMiss,
        run: async ctx => {
          const startMs = clock.now()
          const costMs = jobs++ === 0 ? 15 : 2
          // ctx.sleep is a dispatch point, so an abort takes effect here.
          await ctx.sleep(0)
          await clock.sleep(costMs)
          runs.push({ task: ctx.taskId, releaseMs: ctx.releaseMs, startMs, endMs: clock.now() })
        },
      }),
    ]
  })
}

describe('deadline misses and miss policies', () => {
  it('continue: the late job finishes and the release it overlapped starts when it ends', async () => {
    // 0-15 (miss), release 10 pending -> 15-17 (d20), 20-22, 30-32.
    const { clock, runs, scheduler, events } = lateFirstJob('continue')
    scheduler.start()
    await runUntil(clock, scheduler, 35)
    assert.deepEqual(timeline(runs), ['sampler@0-15', 'sampler@15-17', 'sampler@20-22', 'sampler@30-32'])
    const [m] = scheduler.metrics()
    assert.equal(m!.deadlineMisses, 1)
    assert.equal(m!.budgetOverruns, 1)
    assert.equal(m!.skippedReleases, 0)
    assert.equal(m!.lateness.maxMs, 5)
    const missed = events.find(e => e.type === 'deadline-missed')
    assert.deepEqual(missed, { type: 'deadline-missed', taskId: 'sampler', atMs: 10.001, releaseMs: 0, deadlineMs: 10 })
  })

  it('skip-next: the release after the late job is skipped', async () => {
    // 0-15 (miss), release 10 skipped, 20-22, 30-32.
    const { clock, runs, scheduler } = lateFirstJob('skip-next')
    scheduler.start()
    await runUntil(clock, scheduler, 35)
    assert.deepEqual(timeline(runs), ['sampler@0-15', 'sampler@20-22', 'sampler@30-32'])
    assert.equal(scheduler.metrics()[0]!.skippedReleases, 1)
  })

  it('abort: the job is aborted at its deadline and its next wait rejects with kind deadline', async () => {
    const fresh = lateAbort()
    fresh.scheduler.start()
    await fresh.clock.advance(10.5)
    assert.equal(fresh.reasons.length, 1)
    assert.ok(fresh.reasons[0] instanceof SchedulerError)
    assert.equal((fresh.reasons[0]).kind, 'deadline')
    assert.equal(fresh.atMs[0], 10.001)
    await runUntil(fresh.clock, fresh.scheduler, 12)
    const [m] = fresh.scheduler.metrics()
    // The release at 10 waited for the aborted job, started at 10.001, and was aborted by stop().
    assert.equal(m!.aborted, 2)
    assert.equal(fresh.reasons.length, 2)
    assert.equal((fresh.reasons[1] as SchedulerError).kind, 'stopped')
    assert.equal(m!.failed, 0)
    assert.equal(m!.deadlineMisses, 1)
  })

  it('safe-state: the hook runs at the deadline, before the late job ends', async () => {
    const { clock, scheduler, safeStates, runs } = lateFirstJob('safe-state')
    scheduler.start()
    await clock.advance(12)
    assert.deepEqual(safeStates, [{ taskId: 'sampler', reason: 'deadline', atMs: 10.001 }])
    assert.equal(runs.length, 0, 'the late job is still running')
    await runUntil(clock, scheduler, 16)
    // Its budget overrun (15 > 5) is reported when it ends: the hook runs once more, for the overrun.
    assert.deepEqual(safeStates.map(s => s.reason), ['deadline', 'overrun'])
  })

  it('a job that ends exactly at its deadline is on time', async () => {
    const { clock, scheduler } = harness('fifo', (c, r) => [computeTask(c, r, { id: 'exact', periodMs: 10, deadlineMs: 4, costMs: 4 })])
    scheduler.start()
    await runUntil(clock, scheduler, 25)
    assert.equal(scheduler.metrics()[0]!.deadlineMisses, 0)
    assert.equal(scheduler.metrics()[0]!.completed, 3)
  })
})

/** A task that sleeps (a dispatch point) past its 10 ms deadline and records the abort it gets. */
function lateAbort() {
  const reasons: unknown[] = []
  const atMs: number[] = []
  const h = harness('priority', clock => [
    periodicTask({
      id: 'slow',
      periodMs: 10,
      budgetMs: 5,
      onMiss: 'abort',
      run: async ctx => {
        try {
          await ctx.sleep(25)
        } catch (error) {
          reasons.push(error)
          atMs.push(clock.now())
          throw error
        }
      },
    }),
  ])
  return { ...h, reasons, atMs }
}

describe('failing jobs', () => {
  it('a job that throws never stops the scheduler; failures are counted by kind', async () => {
    let n = 0
    const { clock, scheduler, events } = harness('fifo', () => [
      periodicTask({
        id: 'flaky',
        periodMs: 10,
        budgetMs: 1,
        run: () => {
          n++
          if (n % 2 === 1) throw Object.assign(new Error('no ACK from 0x29'), { name: 'HalError', kind: 'nack' })
          if (n === 4) return Promise.reject(new TypeError('bad'))
        },
      }),
    ])
    scheduler.start()
    await runUntil(clock, scheduler, 55)
    const [m] = scheduler.metrics()
    assert.equal(m!.released, 6)
    assert.equal(m!.failed, 4)
    assert.equal(m!.completed, 2)
    assert.deepEqual(m!.failuresByKind, { nack: 3, TypeError: 1 })
    assert.deepEqual(events.filter(e => e.type === 'task-failed').map(e => e.type === 'task-failed' && e.kind), ['nack', 'nack', 'TypeError', 'nack'])
  })

  it('restart back-off holds releases back, doubling up to its maximum, and resets on success', async () => {
    // Fails on every job until t >= 100. Back-off 10, 20, 40, 40 … ms after each failure.
    // Releases every 5 ms: fail@0 -> hold to 10; fail@10 -> hold to 30; fail@30 -> hold to 70;
    // fail@70 -> hold to 110; ok@110, 115, 120 …
    const started: number[] = []
    const { clock, scheduler } = harness('fifo', clock => [
      periodicTask({
        id: 'sensor',
        periodMs: 5,
        budgetMs: 1,
        restart: { initialMs: 10, maxMs: 40 },
        run: () => {
          started.push(clock.now())
          if (clock.now() < 100) throw Object.assign(new Error('timeout'), { kind: 'timeout' })
        },
      }),
    ])
    scheduler.start()
    await runUntil(clock, scheduler, 126)
    assert.deepEqual(started, [0, 10, 30, 70, 110, 115, 120, 125])
    assert.equal(scheduler.metrics()[0]!.failuresByKind.timeout, 4)
  })
})

describe('sporadic tasks', () => {
  it('enforces the minimum inter-arrival time and coalesces events that pile up', async () => {
    const { clock, scheduler, runs } = harness('priority', (c, r) => [
      { ...computeTask(c, r, { id: 'button', periodMs: 5, costMs: 1, priority: 3 }), kind: 'sporadic' as const },
    ])
    scheduler.start()
    scheduler.release('button') // t0: released at once
    await clock.advance(1)
    scheduler.release('button') // t1: deferred to 5
    await clock.advance(1)
    scheduler.release('button') // t2: one already pending: coalesced
    await clock.advance(10)
    scheduler.release('button') // t12: released at once
    await runUntil(clock, scheduler, 20)
    assert.deepEqual(timeline(runs), ['button@0-1', 'button@5-6', 'button@12-13'])
    assert.deepEqual(runs.map(r => r.releaseMs), [0, 5, 12])
    assert.equal(scheduler.metrics()[0]!.skippedReleases, 1)
  })

  it('a sporadic release with an early deadline wakes the loop in time to see the miss', async () => {
    const { clock, scheduler, events } = harness('priority', (c, r) => [
      computeTask(c, r, { id: 'slow-tick', periodMs: 1000, costMs: 1 }),
      { ...computeTask(c, r, { id: 'edge', periodMs: 100, deadlineMs: 2, costMs: 5, priority: 9 }), kind: 'sporadic' as const },
    ])
    scheduler.start()
    await clock.advance(10)
    scheduler.release('edge')
    await clock.advance(3)
    assert.deepEqual(events.filter(e => e.type === 'deadline-missed').map(e => e.atMs), [12.001])
    await runUntil(clock, scheduler, 20)
  })

  it('refuses to release a periodic task by event', () => {
    const { scheduler } = harness('fifo', (c, r) => [computeTask(c, r, { id: 'p', periodMs: 5, costMs: 1 })])
    assert.throws(() => scheduler.release('p'), RangeError)
    assert.throws(() => scheduler.release('nope'), /no task 'nope'/)
  })
})

describe('pause and resume', () => {
  it('a paused task is not released, and resumes on its grid', async () => {
    const { clock, scheduler, runs } = harness('fifo', (c, r) => [computeTask(c, r, { id: 't', periodMs: 10, costMs: 1 })])
    scheduler.start()
    await clock.advance(5)
    scheduler.pause('t')
    await clock.advance(20)
    scheduler.resume('t')
    await runUntil(clock, scheduler, 45)
    assert.deepEqual(runs.map(r => r.startMs), [0, 30, 40])
    assert.equal(scheduler.metrics()[0]!.skippedReleases, 0)
  })
})
