import assert from 'node:assert/strict'
import { test } from 'node:test'
import { checkBackoff, DEFAULT_BACKOFF, retryDelayMs } from '../../../runtime/mqtt/backoff.ts'

const middle = (): number => 0.5

test('doubles from initialMs and stops at maxMs', () => {
  const waits = [0, 1, 2, 3, 4, 5, 6, 7, 8].map(failures => retryDelayMs(DEFAULT_BACKOFF, failures, middle))
  assert.deepEqual(waits, [250, 500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000])
})

test('jitters by ±25 % and never exceeds maxMs', () => {
  const backoff = { initialMs: 100, maxMs: 1_000 }
  assert.equal(retryDelayMs(backoff, 0, () => 0), 75)
  assert.equal(retryDelayMs(backoff, 0, () => 0.999_999), 125)
  assert.equal(retryDelayMs(backoff, 10, () => 0.999_999), 1_000)
  assert.equal(retryDelayMs(backoff, 10, () => 0), 750)
})

test('successive waits grow until the cap, whatever the jitter draws', () => {
  const backoff = { initialMs: 50, maxMs: 400 }
  // The worst case: the earlier wait drew the top of its range and the later one the bottom.
  for (let failures = 0; failures < 3; failures++) {
    assert.ok(retryDelayMs(backoff, failures + 1, () => 0) > retryDelayMs(backoff, failures, () => 0.999_999))
  }
})

test('does not overflow after a very long outage', () => {
  assert.equal(retryDelayMs(DEFAULT_BACKOFF, 10_000, middle), 10_000)
})

test('refuses back-off settings that cannot work', () => {
  assert.throws(() => checkBackoff({ initialMs: 0, maxMs: 100 }), RangeError)
  assert.throws(() => checkBackoff({ initialMs: 200, maxMs: 100 }), RangeError)
  assert.throws(() => checkBackoff({ initialMs: Number.NaN, maxMs: 100 }), RangeError)
  assert.deepEqual(checkBackoff({ initialMs: 100, maxMs: 100 }), { initialMs: 100, maxMs: 100 })
})
