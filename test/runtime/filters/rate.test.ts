import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { FilterSample } from '../../../runtime/filters/filter.ts'
import { RateFilter } from '../../../runtime/filters/rate.ts'

/** Runs [atMs, value] pairs through `filter` and returns the values it leaves. */
function feed(filter: RateFilter, points: readonly (readonly [number, number])[]): number[] {
  const sample: FilterSample = { value: 0, atMs: 0, report: true }
  return points.map(([atMs, value]) => {
    sample.value = value
    sample.atMs = atMs
    sample.report = true
    filter.apply(sample)
    assert.equal(sample.report, true)
    return sample.value
  })
}

describe('RateFilter', () => {
  it('gives the change per second since the previous sample, and NaN for the first', () => {
    // (12 - 10) / 0.5 s = 4; (9 - 12) / 1 s = -3; (9 - 9) / 0.25 s = 0
    assert.deepEqual(feed(new RateFilter(), [[0, 10], [500, 12], [1500, 9], [1750, 9]]), [NaN, 4, -3, 0])
  })

  it('works at large clock values', () => {
    assert.deepEqual(feed(new RateFilter(), [[1_700_000_000_000, 2], [1_700_000_000_100, 1.5]]), [NaN, -5])
  })

  it('gives NaN for a repeated or earlier time and keeps the previous sample', () => {
    // 1000 repeats and 900 goes back: both NaN; 2000 is measured against (1000, 9): (10 - 9) / 1 s
    assert.deepEqual(feed(new RateFilter(), [[0, 10], [1000, 9], [1000, 20], [900, 30], [2000, 10]]), [NaN, -1, NaN, NaN, 1])
  })

  it('passes NaN through and keeps the previous sample', () => {
    assert.deepEqual(feed(new RateFilter(), [[0, 1], [1000, NaN], [2000, 5]]), [NaN, NaN, 2])
    assert.deepEqual(feed(new RateFilter(), [[0, NaN], [1000, 3], [3000, 7]]), [NaN, NaN, 2])
  })

  it('gives NaN again for the first sample after reset', () => {
    const filter = new RateFilter()
    feed(filter, [[0, 1], [1000, 2]])
    filter.reset()
    assert.deepEqual(feed(filter, [[2000, 100], [3000, 103]]), [NaN, 3])
  })
})
