import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Level } from '../../../drivers/hal/gpio.ts'
import { EdgeWatchers, type KernelEdge } from '../../../drivers/linux/edge-watchers.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'

/** A line whose level the test sets, and the watchers over its notifications. */
function line(kernelEdge: KernelEdge = 'both') {
  const clock = new VirtualClock()
  const state = { level: 0 as Level }
  const edges = new EdgeWatchers({ clock, kernelEdge, readLevel: () => state.level })
  const set = (level: Level): void => {
    state.level = level
    edges.changed(level)
  }
  return { clock, state, edges, set }
}

describe('EdgeWatchers', () => {
  it('reports a change once, and a notification that reads the known level not at all', async () => {
    const { clock, edges, set } = line()
    const seen: [Level, number][] = []
    edges.add('both', (level, atMs) => seen.push([level, atMs]), 0)
    set(1)
    await clock.advance(3)
    set(1) // a pulse shorter than the notification latency: two edges merged into one notification
    set(0)
    assert.deepEqual(seen, [[1, 0], [0, 3]])
  })

  it('with the kernel reporting rising edges only, every notification is a rising edge', () => {
    const { edges, set } = line('rising')
    const seen: Level[] = []
    edges.add('rising', level => seen.push(level), 0)
    set(1)
    set(1)
    assert.deepEqual(seen, [1, 1])
    assert.throws(() => edges.add('falling', () => undefined, 0), RangeError)
    assert.throws(() => edges.add('rising', () => undefined, 5), /debounce needs edge "both"/)
  })

  it('debounces on the clock: reports the settled level debounceMs after the last notification', async () => {
    const { clock, edges, set, state } = line()
    const seen: [Level, number][] = []
    edges.add('both', (level, atMs) => seen.push([level, atMs]), 10)
    set(1)
    await clock.advance(4)
    set(0)
    await clock.advance(4)
    set(1)
    await clock.advance(9)
    assert.deepEqual(seen, [])
    await clock.advance(1)
    assert.deepEqual(seen, [[1, 18]])
    state.level = 0
    edges.clear()
    await clock.advance(20)
    assert.equal(seen.length, 1)
  })
})
