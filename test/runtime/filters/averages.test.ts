import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { ExponentialFilter, MovingAverageFilter } from '../../../runtime/filters/averages.ts'
import type { Filter, FilterSample } from '../../../runtime/filters/filter.ts'

/** Runs `values` through `filter` at the given times (default 100 ms apart) and returns the values it leaves. */
function feed(filter: Filter, values: readonly number[], atMs: readonly number[] = values.map((_, index) => index * 100)): number[] {
  const sample: FilterSample = { value: 0, atMs: 0, report: true }
  return values.map((value, index) => {
    sample.value = value
    sample.atMs = atMs[index]!
    sample.report = true
    filter.apply(sample)
    return sample.value
  })
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length
}

/**
 * Values as sensors give them: up to 6 significant digits, from 1e-12 to 1e9 (21 decimal orders
 * in one sequence). Arbitrary doubles span 600 orders, and no O(1) running sum keeps a 1e-300 value
 * exact next to a 1e-200 one; the periodic recompute is what bounds that case.
 */
const sensorValue = fc
  .tuple(fc.integer({ min: -999_999, max: 999_999 }), fc.integer({ min: -12, max: 3 }))
  .map(([digits, exponent]) => digits * 10 ** exponent)

const ONE_TIME_CONSTANT = 1 - Math.exp(-1) // 0.6321…

describe('MovingAverageFilter', () => {
  it('gives the mean of the newest 3, and of what it has before that', () => {
    // [3] → 3; [3, 6] → 4.5; [3, 6, 9] → 6; [6, 9, 12] → 9
    assert.deepEqual(feed(new MovingAverageFilter(3), [3, 6, 9, 12]), [3, 4.5, 6, 9])
  })

  it('passes NaN through and keeps it out of the window', () => {
    assert.deepEqual(feed(new MovingAverageFilter(2), [2, NaN, 4, 8]), [2, NaN, 3, 6])
  })

  it('forgets the window on reset', () => {
    const filter = new MovingAverageFilter(3)
    feed(filter, [100, 100, 100])
    filter.reset()
    assert.deepEqual(feed(filter, [1, 3]), [1, 2])
  })

  it('is exact on whole numbers, however long it runs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 50 }),
        fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { minLength: 1, maxLength: 3000, size: 'max' }),
        (samples, values) => {
          const got = feed(new MovingAverageFilter(samples), values)
          values.forEach((_, index) => {
            const window = values.slice(Math.max(0, index + 1 - samples), index + 1)
            assert.equal(got[index], window.reduce((sum, value) => sum + value, 0) / window.length, `at ${index}`)
          })
        },
      ),
      { numRuns: 50 },
    )
  })

  it('equals the arithmetic mean of the newest n within 1e-9 of the window magnitude', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 50 }),
        fc.array(sensorValue, { minLength: 1, maxLength: 3000, size: 'max' }),
        (samples, values) => {
          const got = feed(new MovingAverageFilter(samples), values)
          values.forEach((_, index) => {
            const window = values.slice(Math.max(0, index + 1 - samples), index + 1)
            const magnitude = Math.max(...window.map(Math.abs))
            const want = mean(window)
            assert.ok(Math.abs(got[index]! - want) <= 1e-9 * magnitude, `at ${index}: got ${got[index]}, want ${want}`)
          })
        },
      ),
      { numRuns: 50 },
    )
  })

  it('leaves no trace of large values once they have left the window', () => {
    // A plain running sum keeps ~1e9 * 2^-52 of rounding per large value it subtracts.
    const filter = new MovingAverageFilter(3)
    const large = Array.from({ length: 100_000 }, (_, index) => 1e9 + ((index * 7919) % 1000) / 7)
    const got = feed(filter, [...large, 1, 2, 3])
    assert.ok(Math.abs(got.at(-1)! - 2) <= 2e-9, `got ${got.at(-1)}`)
  })

  it('keeps small values exact after a value 1e20 times larger has left the window', () => {
    // The 1 vanishes into 1e20 (below its rounding); once 1e20 leaves, the sum must still hold it,
    // and once the 1 leaves too, 1e-17 must not vanish into a leftover of it.
    assert.deepEqual(feed(new MovingAverageFilter(2), [1e20, 1, 0, 1e-17]), [1e20, 5e19, 0.5, 5e-18])
  })

  it('recovers from an infinity once it has left the window', () => {
    assert.deepEqual(feed(new MovingAverageFilter(2), [1, Infinity, 3, 5, 7]), [1, Infinity, Infinity, 4, 6])
  })
})

describe('ExponentialFilter', () => {
  it('with alpha 0.5 moves half way to each new value, starting at the first', () => {
    // 10; 10 + 0.5*(20-10) = 15; 15 + 0.5*(20-15) = 17.5; 17.5 + 0.5*(0-17.5) = 8.75
    assert.deepEqual(feed(new ExponentialFilter({ alpha: 0.5 }), [10, 20, 20, 0]), [10, 15, 17.5, 8.75])
  })

  it('with alpha 1 follows the input', () => {
    assert.deepEqual(feed(new ExponentialFilter({ alpha: 1 }), [3, -1, 4]), [3, -1, 4])
  })

  it('with a time constant weights by the time since the previous sample', () => {
    // tau = 1000 ms, one step of 1000 ms: y = 0 + (1 - e^-1) * (1 - 0)
    const got = feed(new ExponentialFilter({ timeConstantMs: 1000 }), [0, 1], [5000, 6000])
    assert.ok(Math.abs(got[1]! - 0.6321205588285577) <= 1e-12, `got ${got[1]}`)
  })

  it('reaches 63.2 % of a step one time constant later, sampled finely', () => {
    const filter = new ExponentialFilter({ timeConstantMs: 2000 })
    const atMs = Array.from({ length: 201 }, (_, index) => 1_700_000_000_000 + index * 10)
    const got = feed(filter, atMs.map((_, index) => (index === 0 ? 0 : 1)), atMs)
    assert.ok(Math.abs(got[200]! - ONE_TIME_CONSTANT) <= 1e-9, `got ${got[200]}`)
    assert.ok(Math.abs(got[100]! - (1 - Math.exp(-0.5))) <= 1e-9, `half way got ${got[100]}`)
  })

  it('reaches 63.2 % of a step after one time constant however the samples are spaced', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { maxLength: 50 }), cuts => {
        const atMs = [0, ...cuts.sort((a, b) => a - b), 1000]
        const got = feed(new ExponentialFilter({ timeConstantMs: 1000 }), atMs.map((_, index) => (index === 0 ? 0 : 1)), atMs)
        assert.ok(Math.abs(got.at(-1)! - ONE_TIME_CONSTANT) <= 1e-12, `got ${got.at(-1)}`)
      }),
    )
  })

  it('leaves the average alone for a repeated timestamp', () => {
    assert.deepEqual(feed(new ExponentialFilter({ timeConstantMs: 1000 }), [4, 9], [100, 100]), [4, 4])
  })

  it('passes NaN through without changing its state, so the next step spans it', () => {
    const got = feed(new ExponentialFilter({ timeConstantMs: 1000 }), [NaN, 0, NaN, 1], [0, 1000, 1500, 2000])
    assert.ok(Number.isNaN(got[0]!) && got[1] === 0 && Number.isNaN(got[2]!))
    assert.ok(Math.abs(got[3]! - ONE_TIME_CONSTANT) <= 1e-12, `got ${got[3]}`)
  })

  it('passes an infinity through and starts again at the next finite value', () => {
    assert.deepEqual(feed(new ExponentialFilter({ alpha: 0.5 }), [2, Infinity, 6, 8]), [2, Infinity, 6, 7])
  })

  it('starts again from the next value after reset', () => {
    const filter = new ExponentialFilter({ alpha: 0.1 })
    feed(filter, [100, 100])
    filter.reset()
    assert.deepEqual(feed(filter, [5]), [5])
  })

  it('rejects both, neither, or out-of-range options', () => {
    assert.throws(() => new ExponentialFilter({}), RangeError)
    assert.throws(() => new ExponentialFilter({ alpha: 0.5, timeConstantMs: 100 }), RangeError)
    assert.throws(() => new ExponentialFilter({ alpha: 0 }), RangeError)
    assert.throws(() => new ExponentialFilter({ alpha: 1.5 }), RangeError)
    assert.throws(() => new ExponentialFilter({ timeConstantMs: -1 }), RangeError)
  })
})
