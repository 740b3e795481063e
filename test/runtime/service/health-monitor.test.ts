import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runHealthMonitor } from '../../../runtime/service/health-monitor.ts'
import type { HealthSample, Verdict } from '../../../runtime/service/health.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'

/** A runtime whose lidar task is released 500 times per 5 s window until `stall()`; `hang()` stops it answering. */
function fakeRuntime(clock: VirtualClock) {
  let released = 0
  let stalled = false
  let hung = false
  let lastMs = clock.now()
  return {
    stall: (on: boolean) => void (stalled = on),
    hang: (on: boolean) => void (hung = on),
    sample: (): Promise<HealthSample> => {
      if (!stalled) released += Math.round((clock.now() - lastMs) / 10)
      lastMs = clock.now()
      if (hung) return new Promise<HealthSample>(() => undefined)
      return Promise.resolve({ atMs: clock.now(), tasks: [{ id: 'lidar', released, deadlineMisses: 0 }], paused: [] })
    },
  }
}

function monitor(clock: VirtualClock, runtime: ReturnType<typeof fakeRuntime>, stableAfterMs = 20_000) {
  const pings: number[] = []
  const changes: Verdict[] = []
  const stable: number[] = []
  const stop = new AbortController()
  const done = runHealthMonitor({
    clock,
    intervalMs: 5000,
    tasks: [{ id: 'lidar', periodMs: 10, periodic: true, critical: true }],
    sample: runtime.sample,
    onHealthy: async () => void pings.push(clock.now()),
    onChange: verdict => void changes.push(verdict),
    stableAfterMs,
    onStable: () => void stable.push(clock.now()),
    signal: stop.signal,
  })
  return { pings, changes, stable, stop: () => stop.abort(), done }
}

describe('runHealthMonitor', () => {
  it('pings after each healthy window and stops pinging while the executive is stalled, saying so once each way', async () => {
    const clock = new VirtualClock()
    const runtime = fakeRuntime(clock)
    const watch = monitor(clock, runtime)
    await clock.advance(10_000)
    assert.deepEqual(watch.pings, [5000, 10_000])
    runtime.stall(true)
    await clock.advance(15_000)
    assert.deepEqual(watch.pings, [5000, 10_000], 'no ping while no release happens')
    assert.equal(watch.changes.length, 1)
    assert.equal(watch.changes[0]?.healthy, false)
    runtime.stall(false)
    await clock.advance(5000)
    assert.deepEqual(watch.pings, [5000, 10_000, 30_000])
    assert.deepEqual(watch.changes.map(change => change.healthy), [false, true])
    watch.stop()
    await watch.done
  })

  it('a runtime that does not answer within the interval is unhealthy (a blocked rt thread)', async () => {
    const clock = new VirtualClock()
    const runtime = fakeRuntime(clock)
    const watch = monitor(clock, runtime)
    await clock.advance(5000)
    runtime.hang(true)
    await clock.advance(20_000)
    assert.deepEqual(watch.pings, [5000])
    assert.match(watch.changes[0]?.problems[0] ?? '', /did not answer within 5000 ms/)
    watch.stop()
    await clock.advance(5000)
    await watch.done
  })

  it('says stable once, after stableAfterMs healthy without a break; a stall restarts the count', async () => {
    const clock = new VirtualClock()
    const runtime = fakeRuntime(clock)
    const watch = monitor(clock, runtime, 20_000)
    await clock.advance(10_000)
    runtime.stall(true)
    await clock.advance(5000)
    runtime.stall(false)
    await clock.advance(15_000)
    assert.deepEqual(watch.stable, [], 'healthy again only since 20 s')
    await clock.advance(10_000)
    assert.deepEqual(watch.stable, [40_000])
    await clock.advance(30_000)
    assert.deepEqual(watch.stable, [40_000], 'once')
    watch.stop()
    await watch.done
  })
})
