import assert from 'node:assert/strict'
import { setTimeout as realDelay } from 'node:timers/promises'
import { after, before, describe, it } from 'node:test'
import type { Clock } from '../../runtime/clock.ts'

/** One clock under test, and how to move its time. */
export interface ClockUnderTest {
  readonly clock: Clock
  /** Moves virtual time forward (VirtualClock). Without it the suite waits in real time (a few ms). */
  readonly advance?: (ms: number) => Promise<void>
  readonly close?: () => Promise<void>
}

/** The cases of the contract, to name in `todo`. */
export type ClockContractCase =
  | 'monotonic'
  | 'not-early'
  | 'zero-not-synchronous'
  | 'deadline-order'
  | 'abort-during'
  | 'abort-before'

export interface ClockContractOptions {
  /**
   * Cases this implementation is known to fail, with why: they still run, and are reported as
   * TODO instead of failing the run. Keep this empty; each entry is a bug to fix.
   */
  readonly todo?: Partial<Record<ClockContractCase, string>>
}

/**
 * The Clock contract (runtime/clock.ts), run against one implementation. Every Clock passes it:
 * the real ones in a few ms of real time, VirtualClock instantly through `advance`.
 */
export function describeClockContract(
  name: string,
  open: () => Promise<ClockUnderTest>,
  options: ClockContractOptions = {},
): void {
  void describe(`Clock contract: ${name}`, () => {
    let subject: ClockUnderTest
    before(async () => {
      subject = await open()
    })
    after(async () => {
      await subject.close?.()
    })

    /** Lets `ms` of the clock's time pass: virtual time is advanced, real time is waited for. */
    const elapse = async (ms: number): Promise<void> => {
      if (subject.advance !== undefined) await subject.advance(ms)
      else await realDelay(ms)
    }
    const contractCase = (id: ClockContractCase, title: string, body: () => Promise<void>): void => {
      const todo = options.todo?.[id]
      void it(title, todo === undefined ? {} : { todo }, body)
    }

    contractCase('monotonic', 'now() never goes backwards', async () => {
      const { clock } = subject
      let previous = clock.now()
      for (let i = 0; i < 1000; i++) {
        const current = clock.now()
        assert.ok(current >= previous, `now() went from ${previous} to ${current}`)
        previous = current
      }
      const sleeping = clock.sleep(1)
      await elapse(2)
      await sleeping
      assert.ok(clock.now() >= previous)
    })

    contractCase('not-early', 'sleep(ms) resolves no earlier than now() + ms', async () => {
      const { clock } = subject
      for (const ms of [0.3, 1, 2.5]) {
        const startMs = clock.now()
        let resolvedAtMs = Number.NaN
        const sleeping = clock.sleep(ms).then(() => {
          resolvedAtMs = clock.now()
        })
        await elapse(ms + 1)
        await sleeping
        assert.ok(resolvedAtMs >= startMs + ms, `sleep(${ms}) from ${startMs} resolved at ${resolvedAtMs}`)
      }
    })

    contractCase('zero-not-synchronous', 'sleep(0) and sleep(-1) resolve, but never synchronously', async () => {
      const { clock } = subject
      let resolved = 0
      const sleeping = [clock.sleep(0), clock.sleep(-1)].map(async promise => {
        await promise
        resolved++
      })
      assert.equal(resolved, 0)
      await elapse(1)
      await Promise.all(sleeping)
      assert.equal(resolved, 2)
    })

    contractCase('deadline-order', 'concurrent sleeps resolve in deadline order, equal deadlines in call order', async () => {
      const { clock } = subject
      const order: string[] = []
      // Deadlines as the caller sees them: on a real clock a stall between two calls can move a
      // later call's deadline past an earlier call's longer one, and then that order is right.
      const deadlines: { label: string; atMs: number }[] = []
      const sleeps = [
        ['six', 6],
        ['two-a', 2],
        ['four', 4],
        ['two-b', 2],
        ['zero', 0],
      ] as const
      const sleeping = sleeps.map(async ([label, ms]) => {
        deadlines.push({ label, atMs: clock.now() + ms })
        await clock.sleep(ms)
        order.push(label)
      })
      await elapse(8)
      await Promise.all(sleeping)
      const expected = [...deadlines].sort((a, b) => a.atMs - b.atMs).map(d => d.label) // stable: ties keep call order
      assert.deepEqual(order, expected)
      if (subject.advance !== undefined) assert.deepEqual(order, ['zero', 'two-a', 'two-b', 'four', 'six'])
    })

    contractCase('abort-during', 'an aborted sleep rejects with the signal reason; the others still resolve', async () => {
      const { clock } = subject
      const controller = new AbortController()
      const reason = new Error('no longer needed')
      let firedAtMs = Number.NaN
      const aborted = clock.sleep(2, controller.signal).then(() => {
        firedAtMs = clock.now()
      })
      const other = clock.sleep(3)
      controller.abort(reason)
      await assert.rejects(aborted, error => error === reason)
      await elapse(4)
      await other
      assert.ok(Number.isNaN(firedAtMs))
    })

    contractCase('abort-before', 'a sleep with an already-aborted signal rejects at once with its reason', async () => {
      const { clock } = subject
      const controller = new AbortController()
      const reason = new Error('already aborted')
      controller.abort(reason)
      const outcome = await Promise.race([
        clock.sleep(1000, controller.signal).then(
          () => 'resolved',
          (error: unknown) => (error === reason ? 'rejected with reason' : `rejected with ${String(error)}`),
        ),
        new Promise(resolve => setImmediate(resolve, 'still pending')),
      ])
      assert.equal(outcome, 'rejected with reason')
    })
  })
}
