import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { FilterChain, createFilter } from '../../../runtime/filters/chain.ts'
import type { FilterSample } from '../../../runtime/filters/filter.ts'
import { FilterSpec } from '../../../tasks/alarm-schema.ts'

/** The chain for specs as a task table would give them (parsed, so defaults and checks apply). */
function chainOf(...specs: unknown[]): FilterChain {
  return new FilterChain(specs.map(spec => FilterSpec.parse(spec)))
}

/** Runs [atMs, value] pairs through `chain`, with report = true on entry; returns [value, report] after each. */
function feed(chain: FilterChain, points: readonly (readonly [number, number])[]): [number, boolean][] {
  const sample: FilterSample = { value: 0, atMs: 0, report: true }
  return points.map(([atMs, value]) => {
    sample.value = value
    sample.atMs = atMs
    sample.report = true
    chain.apply(sample)
    return [sample.value, sample.report]
  })
}

describe('FilterChain', () => {
  it('applies its filters in table order', () => {
    // 1*2+1 = 3; 3*2+1 = 7; 7*2+1 = 15 → 10
    const scaleFirst = chainOf({ type: 'scale', factor: 2 }, { type: 'offset', by: 1 }, { type: 'clamp', max: 10 })
    assert.deepEqual(feed(scaleFirst, [[0, 1], [100, 3], [200, 7]]).map(([value]) => value), [3, 7, 10])
    // (1+1)*2 = 4
    const offsetFirst = chainOf({ type: 'offset', by: 1 }, { type: 'scale', factor: 2 })
    assert.deepEqual(feed(offsetFirst, [[0, 1]]).map(([value]) => value), [4])
  })

  it('has the length of its table and passes samples through unchanged when empty', () => {
    assert.equal(chainOf({ type: 'rate' }, { type: 'median', samples: 3 }).length, 2)
    const empty = new FilterChain([])
    assert.equal(empty.length, 0)
    assert.deepEqual(feed(empty, [[0, 42]]), [[42, true]])
  })

  it('gives values to alarms and report decisions to telemetry', () => {
    // A spiky distance in mm: median of 3, to m, report changes >= 0.1 m at most once a second.
    const chain = chainOf(
      { type: 'median', samples: 3 },
      { type: 'scale', factor: 0.001 },
      { type: 'throttle', minIntervalMs: 1000 },
      { type: 'deadband', absolute: 0.1 },
      { type: 'heartbeat', maxIntervalMs: 3000 },
    )
    const got = feed(chain, [
      [0, 1000], // median [1000] → 1; first: reported
      [500, 9000], // median [1000, 9000] → 5; throttled
      [1000, 1000], // median [1000, 9000, 1000] → 1; change 0 from 1: deadband
      [2000, 1500], // median [9000, 1000, 1500] → 1.5; change 0.5: reported
      [3000, 1500], // 1.5, no change
      [4000, 1500], // 1.5, no change
      [5000, 1450], // median [1500, 1500, 1450] → 1.5; heartbeat: 3000 since 2000
    ])
    assert.deepEqual(got, [
      [1, true],
      [5, false],
      [1, false],
      [1.5, true],
      [1.5, false],
      [1.5, false],
      [1.5, true],
    ])
  })

  it('reset resets every filter', () => {
    const chain = chainOf({ type: 'rate' }, { type: 'deadband', absolute: 1 })
    feed(chain, [[0, 0], [1000, 10]])
    chain.reset()
    // rate's first sample is NaN again, and NaN is not reported
    assert.deepEqual(feed(chain, [[5000, 3], [6000, 5]]), [[NaN, false], [2, true]])
  })
})

describe('createFilter', () => {
  it('builds a filter for every type of the schema', () => {
    const cases: [unknown, number, number][] = [
      [{ type: 'median', samples: 3 }, 7, 7],
      [{ type: 'moving-average', samples: 4 }, 7, 7],
      [{ type: 'exponential', alpha: 0.5 }, 7, 7],
      [{ type: 'exponential', timeConstantMs: 100 }, 7, 7],
      [{ type: 'deadband', absolute: 1 }, 7, 7],
      [{ type: 'deadband', percent: 5 }, 7, 7],
      [{ type: 'throttle', minIntervalMs: 100 }, 7, 7],
      [{ type: 'heartbeat', maxIntervalMs: 100 }, 7, 7],
      [{ type: 'clamp', min: 0, max: 5 }, 7, 5],
      [{ type: 'scale', factor: 3 }, 7, 21],
      [{ type: 'offset', by: -2 }, 7, 5],
      [{ type: 'rate' }, 7, NaN],
    ]
    for (const [spec, input, output] of cases) {
      const filter = createFilter(FilterSpec.parse(spec))
      const sample: FilterSample = { value: input, atMs: 0, report: true }
      filter.apply(sample)
      assert.ok(Object.is(sample.value, output), `${JSON.stringify(spec)}: ${input} → ${sample.value}`)
      assert.equal(sample.report, true, JSON.stringify(spec))
    }
  })

  it('throws RangeError for exponential or deadband with both or neither option', () => {
    for (const spec of [
      { type: 'exponential' },
      { type: 'exponential', alpha: 0.5, timeConstantMs: 100 },
      { type: 'deadband' },
      { type: 'deadband', absolute: 1, percent: 5 },
    ]) {
      assert.throws(() => createFilter(FilterSpec.parse(spec)), RangeError, JSON.stringify(spec))
    }
  })
})
