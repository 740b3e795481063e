import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { Alarm, type PersistedAlarm } from '../../../runtime/alarms/alarm.ts'
import { channelCell, type ChannelCell } from '../../../runtime/alarms/channel-cell.ts'
import { compileCondition } from '../../../runtime/alarms/condition.ts'
import { AlarmSpec } from '../../../tasks/alarm-schema.ts'

const MAX_AGE_MS = 1000

/**
 * One alarm on one channel 'x' of task 'plant' (default: above 100, clearing below 90), and a
 * hand-moved time. `table` is the alarm's entry as written in a task table; defaults come from
 * the schema, as at load.
 */
function alarmHarness(table: Record<string, unknown> = {}) {
  const cell = channelCell('plant.x', MAX_AGE_MS)
  const spec = AlarmSpec.parse({ id: 'hot', severity: 'medium', when: { channel: 'x', setAbove: 100, clearAbove: 90 }, ...table })
  const alarm = new Alarm(spec, compileCondition(spec.when, () => cell, [cell]), 'plant')
  const time = { nowMs: 0 }
  return {
    alarm,
    cell,
    spec,
    time,
    /** Writes a good value `stepMs` later and evaluates. */
    feed: (value: number, stepMs = 100) => {
      time.nowMs += stepMs
      good(cell, value, time.nowMs)
      return alarm.evaluate(time.nowMs)
    },
    /** Writes a fault `stepMs` later and evaluates. */
    fault: (stepMs = 100, reason = 'signal-low') => {
      time.nowMs += stepMs
      Object.assign(cell, { quality: 'fault', reason, atMs: time.nowMs })
      return alarm.evaluate(time.nowMs)
    },
  }
}

function good(cell: ChannelCell, value: number, atMs: number): void {
  cell.value = value
  cell.atMs = atMs
  cell.quality = 'good'
  cell.reason = undefined
}

const BUZZER = [{ output: 'buzzer' }]

describe('Alarm', () => {
  it('is normal, not holding and undecided before any evaluation; takes id, task, severity and latch from the spec', () => {
    const { alarm } = alarmHarness({ severity: 'low', latch: true })
    assert.deepEqual(
      { id: alarm.id, taskId: alarm.taskId, severity: alarm.severity, latch: alarm.latch, category: alarm.category, state: alarm.state },
      { id: 'hot', taskId: 'plant', severity: 'low', latch: true, category: 'value', state: 'normal' },
    )
    assert.deepEqual([alarm.holding, alarm.decided, alarm.conditionActive, alarm.raisedAtMs, alarm.shelvedUntilMs, alarm.untrustedRun], [false, false, false, null, null, 0])
  })

  it('raises, is acknowledged, then clears to normal', () => {
    const { alarm, feed } = alarmHarness()
    assert.equal(feed(50), null)
    assert.deepEqual(feed(101), { alarmId: 'hot', from: 'normal', to: 'active-unacknowledged', atMs: 200, cause: 'condition', acknowledged: false })
    assert.deepEqual([alarm.holding, alarm.raisedAtMs, alarm.conditionActive], [true, 200, true])
    assert.equal(feed(95), null, 'inside the hysteresis band')
    assert.deepEqual(alarm.acknowledge(350), { ok: true, transition: { alarmId: 'hot', from: 'active-unacknowledged', to: 'active-acknowledged', atMs: 350, cause: 'acknowledge', acknowledged: true } })
    assert.deepEqual(alarm.acknowledge(360), { ok: false, reason: 'already acknowledged' })
    assert.equal(alarm.holding, true)
    assert.deepEqual(feed(80), { alarmId: 'hot', from: 'active-acknowledged', to: 'normal', atMs: 400, cause: 'condition', acknowledged: true })
    assert.deepEqual([alarm.holding, alarm.raisedAtMs], [false, 200], 'raisedAtMs keeps the last activation')
  })

  it('returns unacknowledged when it clears first; the acknowledge then completes it, and a new raise re-announces', () => {
    const { alarm, feed } = alarmHarness()
    feed(101)
    assert.equal(feed(80)?.to, 'returned-unacknowledged')
    assert.equal(alarm.holding, false)
    assert.equal(feed(120)?.to, 'active-unacknowledged')
    assert.equal(alarm.raisedAtMs, 300)
    assert.equal(feed(80)?.to, 'returned-unacknowledged')
    assert.deepEqual(alarm.acknowledge(450), { ok: true, transition: { alarmId: 'hot', from: 'returned-unacknowledged', to: 'normal', atMs: 450, cause: 'acknowledge', acknowledged: true } })
    assert.deepEqual(alarm.acknowledge(460), { ok: false, reason: 'not in alarm' })
  })

  it('latches: holds after the condition clears until a reset, which is refused while the condition is present', () => {
    const { alarm, feed, time } = alarmHarness({ latch: true })
    feed(101)
    assert.deepEqual(alarm.reset(time.nowMs), { ok: false, reason: 'the condition is still present' })
    assert.deepEqual(feed(50), { alarmId: 'hot', from: 'active-unacknowledged', to: 'latched', atMs: 200, cause: 'condition', acknowledged: false })
    assert.equal(alarm.holding, true)
    assert.deepEqual(alarm.acknowledge(250), { ok: true, transition: { alarmId: 'hot', from: 'latched', to: 'latched', atMs: 250, cause: 'acknowledge', acknowledged: true } })
    assert.deepEqual(alarm.acknowledge(260), { ok: false, reason: 'already acknowledged' })
    assert.deepEqual(feed(101), { alarmId: 'hot', from: 'latched', to: 'active-acknowledged', atMs: 300, cause: 'condition', acknowledged: true })
    assert.equal(feed(50)?.to, 'latched')
    assert.deepEqual(alarm.reset(450), { ok: true, transition: { alarmId: 'hot', from: 'latched', to: 'normal', atMs: 450, cause: 'reset', acknowledged: true } })
    assert.deepEqual(alarm.reset(460), { ok: false, reason: 'not latched' })
    assert.equal(alarm.holding, false)
  })

  it('qualifies the condition with its on- and off-delays', () => {
    const { alarm, feed } = alarmHarness({ onDelay: { ms: 250 }, offDelay: { samples: 2 } })
    assert.equal(feed(101), null)
    assert.equal(feed(101), null)
    assert.equal(feed(101), null)
    assert.equal(feed(101)?.atMs, 400, '250 ms after the first true at 100 is reached by the sample at 400')
    assert.equal(feed(50), null)
    assert.equal(feed(50)?.to, 'returned-unacknowledged')
    assert.equal(alarm.conditionActive, false)
  })

  describe('shelving', () => {
    it('is not shelvable by default when high severity with actions; the table can say otherwise either way', () => {
      const cases: [Record<string, unknown>, boolean][] = [
        [{ severity: 'high', actions: BUZZER }, false],
        [{ severity: 'high' }, true],
        [{ severity: 'medium', actions: BUZZER }, true],
        [{ severity: 'high', actions: BUZZER, shelvable: true }, true],
        [{ severity: 'low', shelvable: false }, false],
      ]
      for (const [table, shelvable] of cases) assert.equal(alarmHarness(table).alarm.shelvable, shelvable, JSON.stringify(table))
      assert.deepEqual(alarmHarness({ severity: 'high', actions: BUZZER }).alarm.shelve(1000, 0), {
        ok: false,
        reason: 'this alarm cannot be shelved: it is high severity with actions (the table may set shelvable: true)',
      })
      assert.deepEqual(alarmHarness({ shelvable: false }).alarm.shelve(1000, 0), { ok: false, reason: 'this alarm cannot be shelved: the table says shelvable: false' })
    })

    it('refuses a shelve that does not end at a finite time after now', () => {
      const { alarm } = alarmHarness()
      for (const untilMs of [100, 99, Number.NaN, Number.POSITIVE_INFINITY]) {
        const result = alarm.shelve(untilMs, 100)
        assert.equal(result.ok, false, String(untilMs))
      }
      assert.equal(alarm.state, 'normal')
    })

    it('releases the outputs, tracks the condition without transitions, and comes back active at expiry', () => {
      const { alarm, feed, time } = alarmHarness({ latch: true })
      feed(101)
      assert.deepEqual(alarm.shelve(1000, time.nowMs), { ok: true, transition: { alarmId: 'hot', from: 'active-unacknowledged', to: 'shelved', atMs: 100, cause: 'shelve', acknowledged: false } })
      assert.deepEqual([alarm.holding, alarm.shelvedUntilMs], [false, 1000])
      assert.deepEqual(alarm.acknowledge(150), { ok: false, reason: 'the alarm is shelved: unshelve it first' })
      assert.equal(feed(50), null, 'cleared while shelved: no transition, latch ignored')
      assert.equal(alarm.conditionActive, false)
      assert.equal(feed(101), null)
      for (let i = 0; i < 6; i++) assert.equal(feed(101), null)
      assert.equal(time.nowMs, 900)
      assert.deepEqual(feed(101), { alarmId: 'hot', from: 'shelved', to: 'active-unacknowledged', atMs: 1000, cause: 'shelve-expired', acknowledged: false })
      assert.deepEqual([alarm.holding, alarm.shelvedUntilMs, alarm.raisedAtMs], [true, null, 1000])
    })

    it('expires to normal when the condition is gone, deciding on the sample that expires it', () => {
      const { alarm, feed, time } = alarmHarness()
      feed(101)
      alarm.shelve(500, time.nowMs)
      feed(101)
      feed(101)
      feed(101)
      assert.deepEqual(feed(50), { alarmId: 'hot', from: 'shelved', to: 'normal', atMs: 500, cause: 'shelve-expired', acknowledged: true })
    })

    it('moves the expiry when shelved again (no transition), and ends by unshelve', () => {
      const { alarm, feed, time } = alarmHarness()
      alarm.shelve(500, time.nowMs)
      assert.deepEqual(alarm.shelve(2000, 100), { ok: true, transition: null })
      assert.equal(alarm.shelvedUntilMs, 2000)
      for (let i = 0; i < 10; i++) assert.equal(feed(101), null)
      assert.deepEqual(alarm.unshelve(time.nowMs), { ok: true, transition: { alarmId: 'hot', from: 'shelved', to: 'active-unacknowledged', atMs: 1000, cause: 'unshelve', acknowledged: false } })
      assert.deepEqual(alarm.unshelve(time.nowMs), { ok: false, reason: 'not shelved' })
      assert.equal(alarm.shelvedUntilMs, null)
    })
  })

  describe('restore', () => {
    const saved = (fields: Partial<PersistedAlarm>): PersistedAlarm => ({ id: 'hot', state: 'normal', acknowledged: true, conditionActive: false, shelvedUntilMs: null, raisedAtMs: null, ...fields })

    it('round-trips a snapshot and re-announces a state that is not normal', () => {
      const first = alarmHarness({ latch: true })
      first.feed(101)
      first.feed(50)
      first.alarm.acknowledge(first.time.nowMs)
      const snapshot = first.alarm.snapshot()
      assert.deepEqual(snapshot, { id: 'hot', state: 'latched', acknowledged: true, conditionActive: false, shelvedUntilMs: null, raisedAtMs: 100 })
      const second = alarmHarness({ latch: true })
      assert.deepEqual(second.alarm.restore(snapshot, 5000), { alarmId: 'hot', from: 'normal', to: 'latched', atMs: 5000, cause: 'restore', acknowledged: true })
      assert.deepEqual(second.alarm.snapshot(), snapshot)
      assert.deepEqual([second.alarm.holding, second.alarm.decided], [true, false])
    })

    it('returns null for a normal state', () => {
      assert.equal(alarmHarness().alarm.restore(saved({}), 0), null)
    })

    it('restores the qualified condition but starts the leaves inactive: live values re-decide', () => {
      const { alarm, feed } = alarmHarness()
      alarm.restore(saved({ state: 'active-unacknowledged', acknowledged: false, conditionActive: true, raisedAtMs: -50 }), 0)
      assert.equal(alarm.conditionActive, true)
      assert.equal(feed(101), null, 'still above: no change')
      const restored = alarmHarness()
      restored.alarm.restore(saved({ state: 'active-unacknowledged', acknowledged: false, conditionActive: true }), 0)
      assert.equal(restored.feed(95)?.to, 'returned-unacknowledged', 'inside the band, an inactive leaf reads false')
    })

    it('keeps a shelve that has not expired, and comes back unshelved from one that has', () => {
      const kept = alarmHarness()
      assert.deepEqual(kept.alarm.restore(saved({ state: 'shelved', shelvedUntilMs: 1000 }), 999), { alarmId: 'hot', from: 'normal', to: 'shelved', atMs: 999, cause: 'restore', acknowledged: true })
      assert.equal(kept.alarm.shelvedUntilMs, 1000)
      const expired = alarmHarness()
      assert.deepEqual(expired.alarm.restore(saved({ state: 'shelved', shelvedUntilMs: 1000, conditionActive: true }), 1000), {
        alarmId: 'hot', from: 'normal', to: 'active-unacknowledged', atMs: 1000, cause: 'restore', acknowledged: false,
      })
      assert.deepEqual([expired.alarm.shelvedUntilMs, expired.alarm.raisedAtMs], [null, 1000])
      const gone = alarmHarness()
      assert.equal(gone.alarm.restore(saved({ state: 'shelved', shelvedUntilMs: 1000 }), 2000), null)
      assert.equal(gone.alarm.state, 'normal')
    })

    it('does not keep a shelve the table no longer allows', () => {
      const { alarm } = alarmHarness({ severity: 'high', actions: BUZZER })
      alarm.restore(saved({ state: 'shelved', shelvedUntilMs: 10_000 }), 0)
      assert.equal(alarm.state, 'normal')
    })

    it("throws RangeError for another alarm's state or an unknown state", () => {
      const { alarm } = alarmHarness()
      assert.throws(() => alarm.restore(saved({ id: 'cold' }), 0), RangeError)
      assert.throws(() => alarm.restore(saved({ state: 'tripped' as never }), 0), RangeError)
    })
  })

  it('counts untrusted evaluations in a row, and is decided from the first definite one', () => {
    const { alarm, feed, fault } = alarmHarness()
    fault()
    fault()
    assert.deepEqual([alarm.untrustedRun, alarm.decided], [2, false])
    feed(50)
    assert.deepEqual([alarm.untrustedRun, alarm.decided], [0, true])
    feed(101)
    assert.equal(fault(), null, 'unknown changes nothing')
    assert.deepEqual([alarm.untrustedRun, alarm.state, alarm.decided], [1, 'active-unacknowledged', true])
  })

  it("is 'technical' for a technical condition and raises on the cell's trust", () => {
    const cell = channelCell('plant.x', 1000)
    const spec = AlarmSpec.parse({ id: 'probe', severity: 'low', when: { technical: ['fault'], reasons: ['probe-off'] } })
    const alarm = new Alarm(spec, compileCondition(spec.when, () => cell, [cell]), 'plant')
    assert.equal(alarm.category, 'technical')
    Object.assign(cell, { quality: 'fault', reason: 'probe-off', atMs: 0 })
    assert.equal(alarm.evaluate(0)?.to, 'active-unacknowledged')
    assert.equal(alarm.decided, true, 'a technical condition is always definite')
  })
})

describe('Alarm properties', () => {
  const SET_ABOVE = 100
  const CLEAR_ABOVE = 90
  // fc.double() favours tiny magnitudes and the bounds; hundredths of a unit cover the band evenly,
  // thresholds included, and the doubles keep the extremes.
  const between = (min: number, max: number) =>
    fc.oneof(fc.integer({ min: Math.ceil(min * 100), max: Math.floor(max * 100) }).map(n => n / 100), fc.double({ min, max, noNaN: true }))
  const value = between(0, 200)

  it('a signal that crosses setAbove once and then stays at or above clearAbove raises exactly once and never clears', () => {
    fc.assert(
      fc.property(
        fc.array(between(-1000, SET_ABOVE)),
        fc.oneof(fc.integer({ min: 1, max: 5000 }).map(n => SET_ABOVE + n / 100), fc.double({ min: SET_ABOVE, max: 1e9, noNaN: true, minExcluded: true })),
        fc.array(between(CLEAR_ABOVE, 1e9)),
        (before, crossing, after) => {
          const { feed } = alarmHarness()
          const transitions = [...before, crossing, ...after].map(value => feed(value)).filter(t => t !== null)
          assert.deepEqual(transitions.map(t => `${t.from} → ${t.to}`), ['normal → active-unacknowledged'])
        },
      ),
    )
  })

  it('noise narrower than the hysteresis band around any level makes at most one transition', () => {
    fc.assert(
      fc.property(
        between(80, 110),
        fc.array(between(-4.99, 4.99), { maxLength: 60, size: 'medium' }),
        (level, noise) => {
          const { feed } = alarmHarness()
          // Every value lies within ±4.99 of the level: a window narrower than the 10-wide band.
          const transitions = noise.map(n => feed(level + n)).filter(t => t !== null)
          assert.ok(transitions.length <= 1, `${transitions.length} transitions`)
        },
      ),
    )
  })

  it('an on-delay of D ms never raises before D ms of true (no false between; unknowns neither count nor break it), and raises once they have passed', () => {
    type Sample = { readonly stepMs: number; readonly truth: 'true' | 'false' | 'unknown' }
    const sample = fc.record({ stepMs: fc.integer({ min: 0, max: 400 }), truth: fc.constantFrom('true', 'false', 'unknown') }) as fc.Arbitrary<Sample>
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.array(sample, { maxLength: 80, size: 'medium' }), (delayMs, samples) => {
        const { alarm, feed, fault, time } = alarmHarness({ when: { channel: 'x', setAbove: SET_ABOVE }, onDelay: { ms: delayMs } })
        let runStartMs: number | null = null
        for (const { stepMs, truth } of samples) {
          const wasActive = alarm.conditionActive
          const transition = truth === 'unknown' ? fault(stepMs) : feed(truth === 'true' ? 200 : 0, stepMs)
          if (truth === 'true') runStartMs ??= time.nowMs
          else if (truth === 'false') runStartMs = null
          if (transition?.to === 'active-unacknowledged') {
            assert.ok(runStartMs !== null && transition.atMs - runStartMs >= delayMs, `raised at ${transition.atMs}, run began ${runStartMs}`)
          }
          if (!wasActive && truth === 'true' && runStartMs !== null && time.nowMs - runStartMs >= delayMs) assert.equal(alarm.conditionActive, true)
        }
      }),
    )
  })

  it('a latched alarm, once raised, holds through any values and acknowledges until a reset is accepted', () => {
    type Step = { readonly kind: 'value'; readonly value: number } | { readonly kind: 'unknown' } | { readonly kind: 'acknowledge' } | { readonly kind: 'reset' }
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 4, arbitrary: value.map(value => ({ kind: 'value' as const, value })) },
      { weight: 1, arbitrary: fc.constant({ kind: 'unknown' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'acknowledge' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'reset' as const }) },
    )
    fc.assert(
      fc.property(fc.array(step, { maxLength: 100, size: 'medium' }), fc.integer({ min: 1, max: 3 }), (steps, offSamples) => {
        const { alarm, feed, fault, time } = alarmHarness({ latch: true, offDelay: { samples: offSamples } })
        let mustHold = false
        for (const s of steps) {
          if (s.kind === 'value') feed(s.value)
          else if (s.kind === 'unknown') fault()
          else if (s.kind === 'acknowledge') alarm.acknowledge(time.nowMs)
          else if (alarm.reset(time.nowMs).ok) mustHold = false
          if (mustHold) assert.equal(alarm.holding, true, `state ${alarm.state}`)
          if (alarm.holding) mustHold = true
        }
      }),
    )
  })

  it('evaluate() returns a transition exactly when the state changes, and then from !== to', () => {
    type Step = { readonly kind: 'value'; readonly value: number } | { readonly kind: 'unknown' } | { readonly kind: 'command'; readonly command: 'acknowledge' | 'reset' | 'shelve' | 'unshelve' }
    const step: fc.Arbitrary<Step> = fc.oneof(
      { weight: 6, arbitrary: value.map(value => ({ kind: 'value' as const, value })) },
      { weight: 1, arbitrary: fc.constant({ kind: 'unknown' as const }) },
      { weight: 2, arbitrary: fc.constantFrom('acknowledge', 'reset', 'shelve', 'unshelve').map(command => ({ kind: 'command' as const, command })) },
    )
    const delay = fc.option(fc.oneof(fc.record({ ms: fc.integer({ min: 0, max: 500 }) }), fc.record({ samples: fc.integer({ min: 1, max: 4 }) })), { nil: undefined })
    fc.assert(
      fc.property(fc.array(step, { maxLength: 100, size: 'medium' }), delay, delay, fc.boolean(), (steps, onDelay, offDelay, latch) => {
        const { alarm, feed, fault, time } = alarmHarness({ latch, ...(onDelay && { onDelay }), ...(offDelay && { offDelay }) })
        for (const s of steps) {
          if (s.kind === 'command') {
            if (s.command === 'shelve') alarm.shelve(time.nowMs + 350, time.nowMs)
            else alarm[s.command](time.nowMs)
            continue
          }
          const before = alarm.state
          const transition = s.kind === 'value' ? feed(s.value) : fault()
          if (transition === null) assert.equal(alarm.state, before)
          else {
            assert.notEqual(transition.from, transition.to)
            assert.deepEqual([transition.from, transition.to], [before, alarm.state])
          }
        }
      }),
    )
  })
})
