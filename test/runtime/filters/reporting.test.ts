import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import type { Filter, FilterSample } from '../../../runtime/filters/filter.ts'
import { DeadbandFilter, HeartbeatFilter, ThrottleFilter } from '../../../runtime/filters/reporting.ts'

interface Step {
  readonly value: number
  readonly atMs: number
  /** `report` on entry; default true, as the caller sets it. */
  readonly report?: boolean
}

/** Runs `steps` through `filter` and returns `report` after each; checks that `value` is untouched. */
function feed(filter: Filter, steps: readonly Step[]): boolean[] {
  const sample: FilterSample = { value: 0, atMs: 0, report: true }
  return steps.map(step => {
    sample.value = step.value
    sample.atMs = step.atMs
    sample.report = step.report ?? true
    filter.apply(sample)
    assert.ok(Object.is(sample.value, step.value), `value changed from ${step.value} to ${sample.value}`)
    return sample.report
  })
}

/** Values 100 ms apart. */
function values(...list: number[]): Step[] {
  return list.map((value, index) => ({ value, atMs: index * 100 }))
}

/** Value 1 at the given times. */
function times(...list: number[]): Step[] {
  return list.map(atMs => ({ value: 1, atMs }))
}

describe('DeadbandFilter', () => {
  it('reports a change of at least the absolute band from the last value it let through', () => {
    // 10 first; 10.5 (0.5); 11 (1 from 10); 11.5 (0.5 from 11); 12.1 (1.1); 9 (3.1 from 12.1)
    assert.deepEqual(feed(new DeadbandFilter({ absolute: 1 }), values(10, 10.5, 11, 11.5, 12.1, 9)), [true, false, true, false, true, true])
  })

  it('measures from the last value let through, so a slow creep is reported once it adds up', () => {
    assert.deepEqual(feed(new DeadbandFilter({ absolute: 1 }), values(0, 0.4, 0.8, 1.2, 1.6)), [true, false, false, true, false])
  })

  it('reports a change of at least the percentage of the last value let through', () => {
    // 100 first; 105 (5 < 10); 110 (10 >= 10); 125 (15 >= 11); 112 (13 >= 12.5)
    assert.deepEqual(feed(new DeadbandFilter({ percent: 10 }), values(100, 105, 110, 125, 112)), [true, false, true, true, true])
    // -50 first; -53 (3 < 5); -56 (6 >= 5)
    assert.deepEqual(feed(new DeadbandFilter({ percent: 10 }), values(-50, -53, -56)), [true, false, true])
  })

  it('with percent and a last value of 0 reports any change but not a repeated 0', () => {
    assert.deepEqual(feed(new DeadbandFilter({ percent: 10 }), values(0, 0, 0.001, 0.001)), [true, false, true, false])
  })

  it('never reports NaN and does not let it become the last value', () => {
    assert.deepEqual(feed(new DeadbandFilter({ absolute: 1 }), values(NaN, 5, NaN, 5.5, 6)), [false, true, false, false, true])
  })

  it('leaves a sample that an earlier filter suppressed suppressed, without using up the change', () => {
    const steps = [
      { value: 0, atMs: 0 },
      { value: 5, atMs: 100, report: false },
      { value: 5, atMs: 200 },
    ]
    assert.deepEqual(feed(new DeadbandFilter({ absolute: 1 }), steps), [true, false, true])
  })

  it('reports the first sample again after reset', () => {
    const filter = new DeadbandFilter({ absolute: 1 })
    feed(filter, values(3))
    filter.reset()
    assert.deepEqual(feed(filter, values(3, 3.5)), [true, false])
  })

  it('rejects both, neither, or a band that is not above 0', () => {
    assert.throws(() => new DeadbandFilter({}), RangeError)
    assert.throws(() => new DeadbandFilter({ absolute: 1, percent: 5 }), RangeError)
    assert.throws(() => new DeadbandFilter({ absolute: 0 }), RangeError)
    assert.throws(() => new DeadbandFilter({ percent: -5 }), RangeError)
  })

  it('reports exactly the values at least the band away from the previous reported one', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 100, noNaN: true }),
        fc.array(fc.double({ min: -1000, max: 1000, noNaN: true }), { minLength: 1, maxLength: 200, size: 'max' }),
        (absolute, list) => {
          const reported = feed(new DeadbandFilter({ absolute }), values(...list))
          assert.equal(reported[0], true)
          let last = list[0]!
          for (let index = 1; index < list.length; index++) {
            const change = Math.abs(list[index]! - last)
            if (reported[index]) {
              assert.ok(change >= absolute, `reported ${list[index]} only ${change} from ${last}`)
              last = list[index]!
            } else {
              assert.ok(change < absolute, `suppressed ${list[index]}, ${change} from ${last}`)
            }
          }
        },
      ),
    )
  })
})

describe('ThrottleFilter', () => {
  it('lets through at most one sample per interval, measured from the last one let through', () => {
    // 0 first; 400, 999 too soon; 1000 is 1000 after 0; 1500 too soon; 2100 is 1100 after 1000
    assert.deepEqual(feed(new ThrottleFilter(1000), times(0, 400, 999, 1000, 1500, 2100)), [true, false, false, true, false, true])
  })

  it('never reports NaN, and a NaN does not use up the interval', () => {
    const steps = [
      { value: NaN, atMs: 0 },
      { value: 2, atMs: 10 },
      { value: NaN, atMs: 1100 },
      { value: 2, atMs: 1110 },
    ]
    assert.deepEqual(feed(new ThrottleFilter(1000), steps), [false, true, false, true])
  })

  it('leaves a sample that an earlier filter suppressed suppressed, without using up the interval', () => {
    const steps = [
      { value: 1, atMs: 0, report: false },
      { value: 2, atMs: 10 },
    ]
    assert.deepEqual(feed(new ThrottleFilter(1000), steps), [false, true])
  })

  it('lets the next sample through after reset', () => {
    const filter = new ThrottleFilter(1000)
    feed(filter, times(0))
    filter.reset()
    assert.deepEqual(feed(filter, times(10, 20)), [true, false])
  })

  it('rejects an interval that is not above 0', () => {
    assert.throws(() => new ThrottleFilter(0), RangeError)
    assert.throws(() => new ThrottleFilter(Infinity), RangeError)
  })

  it('never reports two samples closer than the interval, and suppresses only those', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 200, size: 'max' }),
        (minIntervalMs, gapsMs) => {
          const atMs = gapsMs.map((_, index) => gapsMs.slice(0, index + 1).reduce((sum, gap) => sum + gap, 0))
          const reported = feed(new ThrottleFilter(minIntervalMs), times(...atMs))
          let lastAtMs = atMs[0]!
          assert.equal(reported[0], true)
          for (let index = 1; index < atMs.length; index++) {
            const sinceMs = atMs[index]! - lastAtMs
            assert.equal(reported[index], sinceMs >= minIntervalMs, `at ${atMs[index]}, ${sinceMs} ms after ${lastAtMs}`)
            if (reported[index]) lastAtMs = atMs[index]!
          }
        },
      ),
    )
  })
})

describe('HeartbeatFilter', () => {
  it('reports a suppressed sample once the interval has passed since the last reported one', () => {
    const steps = [0, 300, 600, 900, 1200, 1500, 1800, 2100, 2400].map(atMs => ({ value: 1, atMs, report: false }))
    // the first (nothing reported yet), then 1200 (1200 after 0) and 2400 (1200 after 1200)
    assert.deepEqual(feed(new HeartbeatFilter(1000), steps), [true, false, false, false, true, false, false, false, true])
  })

  it('counts from every sample that leaves it reported, and never suppresses one', () => {
    const steps = [
      { value: 1, atMs: 0, report: true },
      { value: 1, atMs: 600, report: true },
      { value: 1, atMs: 1200, report: false },
      { value: 1, atMs: 1600, report: false },
    ]
    // 1200 is only 600 after the report at 600; 1600 is 1000 after it
    assert.deepEqual(feed(new HeartbeatFilter(1000), steps), [true, true, false, true])
  })

  it('never reports NaN, even when an earlier filter did', () => {
    const steps = [
      { value: 1, atMs: 0, report: true },
      { value: NaN, atMs: 1000, report: true },
      { value: 1, atMs: 1100, report: false },
    ]
    assert.deepEqual(feed(new HeartbeatFilter(1000), steps), [true, false, true])
  })

  it('reports the next sample after reset', () => {
    const filter = new HeartbeatFilter(1000)
    feed(filter, times(0))
    filter.reset()
    assert.deepEqual(feed(filter, [{ value: 1, atMs: 10, report: false }]), [true])
  })

  it('rejects an interval that is not above 0', () => {
    assert.throws(() => new HeartbeatFilter(-1), RangeError)
    assert.throws(() => new HeartbeatFilter(NaN), RangeError)
  })

  it('keeps every gap between reported samples within the interval plus one sample spacing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.boolean()), { minLength: 1, maxLength: 300, size: 'max' }),
        (maxIntervalMs, steps) => {
          let atMs = 0
          const input = steps.map(([gapMs, report]) => ({ value: 1, atMs: (atMs += gapMs), report }))
          const reported = feed(new HeartbeatFilter(maxIntervalMs), input)
          const maxSpacingMs = Math.max(...steps.map(([gapMs]) => gapMs))
          assert.equal(reported[0], true)
          let lastAtMs = input[0]!.atMs
          input.forEach((step, index) => {
            if (step.report) assert.equal(reported[index], true, 'a reported sample was suppressed')
            if (!reported[index]) return
            assert.ok(step.atMs - lastAtMs <= maxIntervalMs + maxSpacingMs, `gap ${step.atMs - lastAtMs} ms`)
            lastAtMs = step.atMs
          })
          assert.ok(input.at(-1)!.atMs - lastAtMs < maxIntervalMs, 'the tail went unreported for a whole interval')
        },
      ),
    )
  })
})
