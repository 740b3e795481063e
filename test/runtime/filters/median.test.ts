import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import type { Filter, FilterSample } from '../../../runtime/filters/filter.ts'
import { MedianFilter } from '../../../runtime/filters/median.ts'

/** Runs `values` through `filter`, 100 ms apart, and returns the values it leaves. */
function feed(filter: Filter, values: readonly number[]): number[] {
  const sample: FilterSample = { value: 0, atMs: 0, report: true }
  return values.map((value, index) => {
    sample.value = value
    sample.atMs = index * 100
    sample.report = true
    filter.apply(sample)
    return sample.value
  })
}

/** The median the slow way: sort a copy. */
function sortedMedian(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

describe('MedianFilter', () => {
  it('gives the median of the newest 3, and of what it has before that', () => {
    // [5] → 5; [5, 1] → 3; [5, 1, 9] → 5; [1, 9, 2] → 2; [9, 2, 2] → 2
    assert.deepEqual(feed(new MedianFilter(3), [5, 1, 9, 2, 2]), [5, 3, 5, 2, 2])
  })

  it('gives the mean of the two middle values for an even window', () => {
    // [4] → 4; [4, 8] → 6; [1, 4, 8] → 4; [1, 3, 4, 8] → 3.5; [1, 3, 8, 10] → 5.5
    assert.deepEqual(feed(new MedianFilter(4), [4, 8, 1, 3, 10]), [4, 6, 4, 3.5, 5.5])
  })

  it('removes a single spike that a mean would smear', () => {
    assert.deepEqual(feed(new MedianFilter(3), [1.2, 1.2, 40, 1.3, 1.3]), [1.2, 1.2, 1.2, 1.3, 1.3])
  })

  it('passes NaN through and keeps it out of the window', () => {
    // Were NaN in the window, [NaN, 7, 3] would not give 5.
    assert.deepEqual(feed(new MedianFilter(3), [1, NaN, 7, 3]), [1, NaN, 4, 3])
    assert.deepEqual(feed(new MedianFilter(2), [NaN, 7, 3]), [NaN, 7, 5])
  })

  it('forgets the window on reset', () => {
    const filter = new MedianFilter(3)
    feed(filter, [100, 100, 100])
    filter.reset()
    assert.deepEqual(feed(filter, [1, 3]), [1, 2])
  })

  it('leaves report alone', () => {
    const filter = new MedianFilter(3)
    const sample: FilterSample = { value: 2, atMs: 0, report: false }
    filter.apply(sample)
    assert.equal(sample.report, false)
  })

  it('rejects a window that is not a whole number of samples', () => {
    assert.throws(() => new MedianFilter(0), RangeError)
    assert.throws(() => new MedianFilter(2.5), RangeError)
  })

  it('equals the median of a sorted copy of the newest n values', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 101 }),
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300, size: 'max' }),
        (samples, values) => {
          const got = feed(new MedianFilter(samples), values)
          values.forEach((_, index) => {
            const want = sortedMedian(values.slice(Math.max(0, index + 1 - samples), index + 1))
            // `+ 0` turns -0 into 0: the two sorts may order -0 and 0 differently, and both are right.
            assert.equal(got[index]! + 0, want + 0, `at ${index}`)
          })
        },
      ),
    )
  })
})
