import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { backoffMs, catchUp, sporadicReleaseMs } from '../../../runtime/scheduler/plan.ts'

describe('release planning', () => {
  it('makes the due release when the loop wakes on time or less than a period late', () => {
    assert.deepEqual(catchUp(100, 10, 100), { releaseMs: 100, skipped: 0 })
    assert.deepEqual(catchUp(100, 10, 109.9), { releaseMs: 100, skipped: 0 })
  })

  it('counts the releases a late wake-up slept through and makes only the latest', () => {
    assert.deepEqual(catchUp(100, 10, 135), { releaseMs: 130, skipped: 3 })
    assert.deepEqual(catchUp(0, 1, 2), { releaseMs: 2, skipped: 2 })
  })

  it('backs off exponentially up to the maximum; 0 disables it', () => {
    const policy = { initialMs: 10, maxMs: 45 }
    assert.deepEqual([1, 2, 3, 4, 5].map(n => backoffMs(policy, n)), [10, 20, 40, 45, 45])
    assert.equal(backoffMs({ initialMs: 0, maxMs: 0 }, 3), 0)
    assert.equal(backoffMs(policy, 1000), 45)
  })

  it('defers a sporadic event to the minimum inter-arrival time', () => {
    assert.equal(sporadicReleaseMs(3, 0, 5), 5)
    assert.equal(sporadicReleaseMs(7, 0, 5), 7)
    assert.equal(sporadicReleaseMs(0, -Infinity, 5), 0)
  })
})
