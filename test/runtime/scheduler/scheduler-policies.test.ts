import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { computeTask, harness, runUntil, timeline } from '../../helpers/scheduler-harness.ts'

// Every expected timeline below was worked out by hand from the policy definitions in
// ARCHITECTURE.md ("Scheduling model"); each is written out in the comment above its test.

describe('policy worked example: priorities that disagree with deadlines', () => {
  // a: C=3, T=D=6, priority 5 (the user ranked it first)
  // b: C=2, T=D=4, priority 1
  // Hyperperiod 12. Non-preemptive; a job still active at its next release makes that release skip.
  //
  // Non-preemptive; a release that falls due while the task's previous job is still active is
  // made when that job ends (late).
  //
  // priority: t0 a 0-3, b 3-5 (deadline 4: miss); t4 b waits for its previous job: 5-7 (d8);
  //           t6 a 7-10; t8 b 10-12 (d12); t12 a 12-15, b 15-17 (d16: miss); t16 b 17-19 (d20);
  //           t18 a 19-22; t20 b 22-24.
  // edf:      t0 b 0-2 (d4), a 2-5 (d6); t4 b 5-7 (d8); t6 a 7-10 (d12); t8 b 10-12 (d12, on time);
  //           t12 b 12-14 (d16) before a (d18) 14-17; t16 b 17-19; t18 a 19-22; t20 b 22-24. No miss.
  const tasks = (clock: Parameters<typeof computeTask>[0], runs: Parameters<typeof computeTask>[1]) => [
    computeTask(clock, runs, { id: 'a', periodMs: 6, priority: 5, costMs: 3 }),
    computeTask(clock, runs, { id: 'b', periodMs: 4, priority: 1, costMs: 2 }),
  ]

  it('priority runs the higher priority first and b misses twice per 24 ms', async () => {
    const { clock, runs, scheduler } = harness('priority', tasks)
    scheduler.start()
    await runUntil(clock, scheduler, 23.5)
    assert.deepEqual(timeline(runs), ['a@0-3', 'b@3-5', 'b@5-7', 'a@7-10', 'b@10-12', 'a@12-15', 'b@15-17', 'b@17-19', 'a@19-22', 'b@22-24'])
    assert.deepEqual(runs.filter(run => run.task === 'b').map(run => run.releaseMs), [0, 4, 8, 12, 16, 20])
    const [a, b] = scheduler.metrics()
    assert.equal(a!.deadlineMisses, 0)
    assert.equal(b!.deadlineMisses, 2)
    assert.equal(b!.skippedReleases, 0)
    assert.equal(b!.responseTime.maxMs, 5)
    assert.equal(b!.lateness.maxMs, 3)
  })

  it('edf runs the earliest deadline first and meets every deadline', async () => {
    const { clock, runs, scheduler } = harness('edf', tasks)
    scheduler.start()
    await runUntil(clock, scheduler, 23.9)
    assert.deepEqual(timeline(runs), ['b@0-2', 'a@2-5', 'b@5-7', 'a@7-10', 'b@10-12', 'b@12-14', 'a@14-17', 'b@17-19', 'a@19-22', 'b@22-24'])
    for (const task of scheduler.metrics()) {
      assert.equal(task.deadlineMisses, 0, task.id)
      assert.equal(task.skippedReleases, 0, task.id)
    }
    assert.equal(scheduler.metrics()[0]!.responseTime.maxMs, 5)
    assert.equal(scheduler.metrics()[1]!.responseTime.maxMs, 4)
  })
})

describe('policy worked example: fifo, priority and edf on a simultaneous release', () => {
  // Table order: slow (C=5, D=T=20, prio 1), fast (C=2, D=4, T=10, prio 3), mid (C=3, D=12, T=20, prio 4).
  // fifo:     release order, ties by table order: slow 0-5, fast 5-7 (d4: miss), mid 7-10; fast 10-12.
  // priority: mid 0-3, fast 3-5 (d4: miss), slow 5-10; fast 10-12.
  // edf:      fast (d4) 0-2, mid (d12) 2-5, slow (d20) 5-10; fast 10-12.
  const tasks = (clock: Parameters<typeof computeTask>[0], runs: Parameters<typeof computeTask>[1]) => [
    computeTask(clock, runs, { id: 'slow', periodMs: 20, priority: 1, costMs: 5 }),
    computeTask(clock, runs, { id: 'fast', periodMs: 10, deadlineMs: 4, priority: 3, costMs: 2 }),
    computeTask(clock, runs, { id: 'mid', periodMs: 20, deadlineMs: 12, priority: 4, costMs: 3 }),
  ]
  const cases = [
    { policy: 'fifo', expected: ['slow@0-5', 'fast@5-7', 'mid@7-10', 'fast@10-12'], fastMisses: 1 },
    { policy: 'priority', expected: ['mid@0-3', 'fast@3-5', 'slow@5-10', 'fast@10-12'], fastMisses: 1 },
    { policy: 'edf', expected: ['fast@0-2', 'mid@2-5', 'slow@5-10', 'fast@10-12'], fastMisses: 0 },
  ] as const
  for (const { policy, expected, fastMisses } of cases) {
    it(`${policy} dispatches ${expected.join(', ')}`, async () => {
      const { clock, runs, scheduler } = harness(policy, tasks)
      scheduler.start()
      await runUntil(clock, scheduler, 15)
      assert.deepEqual(timeline(runs), expected)
      assert.equal(scheduler.metrics()[1]!.deadlineMisses, fastMisses)
    })
  }
})

describe('round robin', () => {
  // Two jobs of equal priority, released together, each four 1 ms chunks with ctx.yield() between.
  // rr: they alternate a b a b a b a b, so a ends at 7 and b at 8.
  // priority (FIFO among equals): a yields but still ranks first, so a runs 0-4, then b 4-8.
  const chunked = (policy: 'rr' | 'priority') =>
    harness(policy, (clock, runs) =>
      ['a', 'b'].map(id => ({
        ...computeTask(clock, runs, { id, periodMs: 100, priority: 2, costMs: 4 }),
        run: async (ctx: import('../../../runtime/scheduler/job-context.ts').JobContext) => {
          for (let chunk = 0; chunk < 4; chunk++) {
            const startMs = clock.now()
            await clock.sleep(1)
            runs.push({ task: ctx.taskId, releaseMs: ctx.releaseMs, startMs, endMs: clock.now() })
            await ctx.yield()
          }
        },
      })),
    )

  it('rr alternates jobs of one level at each yield', async () => {
    const { clock, runs, scheduler } = chunked('rr')
    scheduler.start()
    await runUntil(clock, scheduler, 10)
    assert.deepEqual(timeline(runs), ['a@0-1', 'b@1-2', 'a@2-3', 'b@3-4', 'a@4-5', 'b@5-6', 'a@6-7', 'b@7-8'])
  })

  it('priority lets a yielding job continue when it still ranks first', async () => {
    const { clock, runs, scheduler } = chunked('priority')
    scheduler.start()
    await runUntil(clock, scheduler, 10)
    assert.deepEqual(timeline(runs), ['a@0-1', 'a@1-2', 'a@2-3', 'a@3-4', 'b@4-5', 'b@5-6', 'b@6-7', 'b@7-8'])
  })

  it('rr serves higher levels before lower ones', async () => {
    // hi (prio 5) and lo (prio 1) released together; lo yields are irrelevant: hi goes first.
    const { clock, runs, scheduler } = harness('rr', (c, r) => [
      computeTask(c, r, { id: 'lo', periodMs: 50, priority: 1, costMs: 2 }),
      computeTask(c, r, { id: 'hi', periodMs: 50, priority: 5, costMs: 2 }),
    ])
    scheduler.start()
    await runUntil(clock, scheduler, 5)
    assert.deepEqual(timeline(runs), ['hi@0-2', 'lo@2-4'])
  })

  it('rr sends a job that used its quantum to the back at its next dispatch point', async () => {
    // quantum 2 ms. a: 3 ms then a scheduler-aware sleep of 0 then 1 ms; b: 1 ms. Released together.
    // a runs 0-3 (non-preemptive), sleeps (dispatch point, quantum used) -> b 3-4, then a 4-5.
    const { clock, runs, scheduler } = harness('rr', (c, r) => [
      {
        ...computeTask(c, r, { id: 'a', periodMs: 50, priority: 1, costMs: 4 }),
        run: async ctx => {
          await c.sleep(3)
          r.push({ task: 'a', releaseMs: 0, startMs: 0, endMs: c.now() })
          await ctx.sleep(0)
          const startMs = c.now()
          await c.sleep(1)
          r.push({ task: 'a', releaseMs: 0, startMs, endMs: c.now() })
        },
      },
      computeTask(c, r, { id: 'b', periodMs: 50, priority: 1, costMs: 1 }),
    ], 2)
    scheduler.start()
    await runUntil(clock, scheduler, 6)
    assert.deepEqual(timeline(runs), ['a@0-3', 'b@3-4', 'a@4-5'])
  })
})

describe('periodic releases', () => {
  it('a 100 ms task runs on every 100 ms boundary from its offset', async () => {
    const { clock, runs, scheduler } = harness('fifo', (c, r) => [computeTask(c, r, { id: 'tick', periodMs: 100, offsetMs: 30, costMs: 1 })])
    scheduler.start()
    await runUntil(clock, scheduler, 450)
    assert.deepEqual(runs.map(run => run.startMs), [30, 130, 230, 330, 430])
    assert.deepEqual(runs.map(run => run.releaseMs), [30, 130, 230, 330, 430])
  })

  it('a non-preemptive long job makes a higher-priority release wait (blocking), measured as lateness', async () => {
    // lo (C=7, T=20) starts at 0; hi (C=1, T=5, prio 9) released at 0 goes first (0-1), then lo 1-8:
    // hi's release at 5 waits until 8 (lateness 3), its release at 10 starts on time.
    const { clock, runs, scheduler } = harness('priority', (c, r) => [
      computeTask(c, r, { id: 'lo', periodMs: 20, priority: 1, costMs: 7 }),
      computeTask(c, r, { id: 'hi', periodMs: 5, priority: 9, costMs: 1 }),
    ])
    scheduler.start()
    await runUntil(clock, scheduler, 12)
    assert.deepEqual(timeline(runs), ['hi@0-1', 'lo@1-8', 'hi@8-9', 'hi@10-11'])
    const hi = scheduler.metrics()[1]!
    assert.equal(hi.lateness.maxMs, 3)
    assert.equal(hi.deadlineMisses, 0)
  })
})
