import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import type { Filter, FilterSample } from '../../../runtime/filters/filter.ts'
import { ClampFilter, OffsetFilter, ScaleFilter } from '../../../runtime/filters/linear.ts'

/** Runs `values` through `filter` and returns the values it leaves; checks that `report` is untouched. */
function feed(filter: Filter, values: readonly number[]): number[] {
  const sample: FilterSample = { value: 0, atMs: 0, report: true }
  return values.map((value, index) => {
    sample.value = value
    sample.atMs = index * 100
    sample.report = index % 2 === 0
    filter.apply(sample)
    assert.equal(sample.report, index % 2 === 0)
    return sample.value
  })
}

describe('ClampFilter', () => {
  it('limits values to [min, max]', () => {
    assert.deepEqual(feed(new ClampFilter({ min: 0, max: 10 }), [-5, 0, 5, 10, 15, -Infinity, Infinity]), [0, 0, 5, 10, 10, 0, 10])
  })

  it('limits one side when only one bound is given, and none when neither is', () => {
    assert.deepEqual(feed(new ClampFilter({ min: 2 }), [1, 3, 1e9]), [2, 3, 1e9])
    assert.deepEqual(feed(new ClampFilter({ max: 2 }), [-1e9, 3]), [-1e9, 2])
    assert.deepEqual(feed(new ClampFilter({}), [-7, 7]), [-7, 7])
  })

  it('passes NaN through', () => {
    assert.deepEqual(feed(new ClampFilter({ min: 0, max: 1 }), [NaN]), [NaN])
  })

  it('rejects min above max, and bounds that are not finite', () => {
    assert.throws(() => new ClampFilter({ min: 2, max: 1 }), RangeError)
    assert.throws(() => new ClampFilter({ min: NaN }), RangeError)
    assert.throws(() => new ClampFilter({ max: Infinity }), RangeError)
  })

  it('always leaves a value within [min, max], and one already inside unchanged', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.double({ noNaN: true }), (min, width, x) => {
        const max = min + width
        const [got] = feed(new ClampFilter({ min, max }), [x])
        assert.ok(got! >= min && got! <= max, `${x} → ${got} outside [${min}, ${max}]`)
        if (x >= min && x <= max) assert.equal(got, x)
      }),
    )
  })
})

describe('ScaleFilter', () => {
  it('multiplies by the factor', () => {
    assert.deepEqual(feed(new ScaleFilter(2.5), [2, -4, 0, NaN]), [5, -10, 0, NaN])
    // mm → m
    assert.deepEqual(feed(new ScaleFilter(0.001), [1500]), [1.5])
  })

  it('rejects a factor that is not finite', () => {
    assert.throws(() => new ScaleFilter(NaN), RangeError)
  })
})

describe('OffsetFilter', () => {
  it('adds the offset', () => {
    assert.deepEqual(feed(new OffsetFilter(0.5), [1, -2, NaN]), [1.5, -1.5, NaN])
    assert.deepEqual(feed(new OffsetFilter(-40), [25]), [-15])
  })

  it('rejects an offset that is not finite', () => {
    assert.throws(() => new OffsetFilter(-Infinity), RangeError)
  })
})
