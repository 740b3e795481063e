import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { Histogram, bucketOf, upperEdgeUs } from '../../../runtime/scheduler/histogram.ts'

describe('Histogram', () => {
  it('is exact below 32 µs', () => {
    const h = new Histogram()
    for (const us of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) h.record(us / 1000)
    assert.equal(h.percentileMs(0.5), 0.005)
    assert.equal(h.percentileMs(0.9), 0.009)
    assert.equal(h.maxMs, 0.01)
    assert.equal(h.count, 10)
    assert.equal(h.meanMs, 0.0055)
  })

  it('reports p50/p99 of 1..1000 µs within 3.2 % above the truth, and the exact max', () => {
    const h = new Histogram()
    for (let us = 1; us <= 1000; us++) h.record(us / 1000)
    const p50 = h.percentileMs(0.5) * 1000
    const p99 = h.percentileMs(0.99) * 1000
    assert.ok(p50 >= 500 && p50 <= 500 * 1.032, `p50 ${p50}`)
    assert.ok(p99 >= 990 && p99 <= 990 * 1.032, `p99 ${p99}`)
    assert.equal(h.maxMs, 1)
  })

  it('counts negative values as 0 and empty histograms report 0', () => {
    const h = new Histogram()
    assert.deepEqual(h.summary(), { count: 0, p50Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 })
    h.record(-3)
    assert.equal(h.maxMs, 0)
    assert.equal(h.count, 1)
  })

  it('every value lands in a bucket whose upper edge is at or above it and within 1/32 of it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), us => {
        const index = bucketOf(us)
        const edge = upperEdgeUs(index)
        assert.ok(edge >= us)
        assert.ok(index === 0 || upperEdgeUs(index - 1) < us)
        assert.ok(edge - us <= Math.max(0, us / 32))
      }),
    )
  })

  it('percentiles never fall below the true order statistic', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: 1, maxLength: 300 }), fc.double({ min: 0.01, max: 1, noNaN: true }), (values, q) => {
        const h = new Histogram()
        for (const us of values) h.record(us / 1000)
        const sorted = [...values].sort((a, b) => a - b)
        const truth = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!
        const got = Math.round(h.percentileMs(q) * 1000)
        assert.ok(got >= truth && got <= truth + truth / 32 + 1, `q=${q} truth=${truth} got=${got}`)
      }),
    )
  })
})
