import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Clock } from '../../../runtime/clock.ts'
import { periodicTask, Scheduler } from '../../../runtime/scheduler/scheduler.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'

/**
 * A VirtualClock whose time a job can also move by "computing": burn() advances now() at once,
 * without firing a timer or turning the event loop, as a CPU-bound job does on the real clock.
 */
class BurnClock implements Clock {
  readonly virtual = new VirtualClock()
  #burntMs = 0
  now(): number {
    return this.virtual.now() + this.#burntMs
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.virtual.sleep(ms, signal)
  }
  burn(ms: number): void {
    this.#burntMs += ms
  }
}

describe('ctx.yield() in a CPU-bound job', () => {
  // long: priority 1, one 20 ms job in 1 ms chunks with ctx.yield() between (nonPreemptiveMs 1).
  // fast: priority 9, every 5 ms, takes no time. The admission analysis counts a blocking term of
  // 1 ms for fast; so fast must start within 1 ms of each release even while long computes, which
  // needs its releases made at long's yields: the event loop (and the scheduler's timer) does not
  // turn while long runs.
  it('due releases are made at the yield, so a higher-priority job runs between two chunks', async () => {
    const clock = new BurnClock()
    const fastStarts: number[] = []
    let longEndMs = NaN
    const scheduler = new Scheduler({
      clock,
      settings: { policy: 'priority', quantumMs: 1 },
      tasks: [
        periodicTask({ id: 'fast', periodMs: 5, budgetMs: 0.5, priority: 9, run: () => void fastStarts.push(clock.now()) }),
        periodicTask({
          id: 'long', periodMs: 100, budgetMs: 20, nonPreemptiveMs: 1, priority: 1,
          run: async ctx => {
            for (let chunk = 0; chunk < 20; chunk++) {
              clock.burn(1)
              await ctx.yield()
            }
            longEndMs = clock.now()
          },
        }),
      ],
    })
    scheduler.start()
    await clock.virtual.settle()
    assert.equal(longEndMs, 20, 'long computed at once, without the clock firing a timer')
    assert.deepEqual(fastStarts, [0, 5, 10, 15, 20])
    const fast = scheduler.metrics().find(task => task.id === 'fast')!
    assert.equal(fast.deadlineMisses, 0)
    assert.equal(fast.skippedReleases, 0)
    await scheduler.stop()
  })
})
