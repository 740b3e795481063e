import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Clock } from '../../../drivers/hal/clock.ts'
import { runWorld } from '../../../drivers/sim/world/run-world.ts'
import type { World } from '../../../drivers/sim/world/world.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'

/** A world that records what the runner asks of it. */
function recordingWorld() {
  const calls: string[] = []
  const world: World = {
    attach: atMs => {
      calls.push(`attach ${atMs}`)
      return () => void calls.push('detach')
    },
    advanceTo: atMs => void calls.push(`advance ${atMs}`),
  }
  return { world, calls }
}

describe('runWorld', () => {
  it('attaches at once, then steps the world on a stepMs grid of the clock', async () => {
    const clock = new VirtualClock(1000)
    const { world, calls } = recordingWorld()
    const stop = new AbortController()
    const running = runWorld(world, clock, stop.signal, { stepMs: 25 })
    assert.deepEqual(calls, ['attach 1000'], 'attached before the first await')
    await clock.advance(100)
    assert.deepEqual(calls, ['attach 1000', 'advance 1025', 'advance 1050', 'advance 1075', 'advance 1100'])
    stop.abort()
    await running
  })

  it('resolves and detaches when the signal aborts, and steps no more', async () => {
    const clock = new VirtualClock()
    const { world, calls } = recordingWorld()
    const stop = new AbortController()
    const running = runWorld(world, clock, stop.signal, { stepMs: 10 })
    await clock.advance(15)
    stop.abort(new Error('done'))
    await running
    await clock.advance(100)
    assert.deepEqual(calls, ['attach 0', 'advance 10', 'detach'])
    assert.equal(clock.pendingTimers, 0, 'no timer left behind')
  })

  it('does not attach a world when the signal is already aborted', async () => {
    const { world, calls } = recordingWorld()
    await runWorld(world, new VirtualClock(), AbortSignal.abort(), { stepMs: 10 })
    assert.deepEqual(calls, [])
  })

  it('refuses a step that is not a positive number', async () => {
    for (const stepMs of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await assert.rejects(runWorld(recordingWorld().world, new VirtualClock(), new AbortController().signal, { stepMs }), RangeError)
    }
  })

  it('after a late wake-up, steps to the time it woke and skips the grid points it missed', async () => {
    // A clock whose sleeps end 25 ms late, as a badly loaded real clock's might.
    const base = new VirtualClock()
    const late: Clock = { now: () => base.now(), sleep: (ms, signal) => base.sleep(ms + 25, signal) }
    const { world, calls } = recordingWorld()
    const stop = new AbortController()
    const running = runWorld(world, late, stop.signal, { stepMs: 10 })
    await base.advance(70)
    // Aimed at 10, woke at 35: the grid points 20 and 30 have passed, so the next aim is 40 (woke at 65).
    assert.deepEqual(calls, ['attach 0', 'advance 35', 'advance 65'])
    stop.abort()
    await running
  })

  it('keeps stepping when the step is not a whole number of ms', async () => {
    const clock = new VirtualClock()
    const { world, calls } = recordingWorld()
    const stop = new AbortController()
    const running = runWorld(world, clock, stop.signal, { stepMs: 0.1 })
    await clock.advance(1)
    assert.equal(calls.filter(call => call.startsWith('advance')).length, 10)
    stop.abort()
    await running
  })
})
