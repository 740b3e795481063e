// Inline waits block the calling thread on purpose, so these tests use real time (a few tens of
// ms). They check what happens in which order — a message gets through, the event loop stays
// free when the owner says so, nothing resolves early — never how precise a wake-up is: that is
// bench/jitter.ts's job.
import assert from 'node:assert/strict'
import { getEventListeners } from 'node:events'
import { describe, it } from 'node:test'
import { Worker } from 'node:worker_threads'
import { createDoorbell, doorbellValue, ringDoorbell, waitInline } from '../../../runtime/executive/inline-wait.ts'
import { openPreciseClock } from '../../../runtime/executive/precise-clock.ts'

/** A worker that posts 'hello' to us and rings `doorbell` after `afterMs`. */
function ringFromWorker(doorbell: Int32Array, afterMs: number): Worker {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads')
    setTimeout(() => {
      parentPort.postMessage('hello')
      Atomics.add(workerData.doorbell, 0, 1)
      Atomics.notify(workerData.doorbell, 0)
    }, workerData.afterMs)`
  return new Worker(source, { eval: true, workerData: { doorbell, afterMs } })
}

void describe('waitInline', () => {
  void it('returns true once the time has come, never before', () => {
    const doorbell = createDoorbell()
    for (const ms of [0, 0.2, 1.3]) {
      const untilMs = performance.now() + ms
      assert.equal(waitInline(doorbell, doorbellValue(doorbell), untilMs, 0.05), true)
      assert.ok(performance.now() >= untilMs)
    }
  })

  void it('returns false at once when the doorbell rang since its value was read', () => {
    const doorbell = createDoorbell()
    const seen = doorbellValue(doorbell)
    ringDoorbell(doorbell)
    assert.notEqual(doorbellValue(doorbell), seen)
    const startMs = performance.now()
    assert.equal(waitInline(doorbell, seen, startMs + 5_000, 0), false)
    assert.ok(performance.now() - startMs < 2_500, 'a rung doorbell must not wait for the deadline')
  })

  void it('returns false when another thread rings during the wait', async () => {
    const doorbell = createDoorbell()
    const worker = ringFromWorker(doorbell, 20)
    await new Promise(resolve => worker.once('online', resolve))
    const startMs = performance.now()
    assert.equal(waitInline(doorbell, doorbellValue(doorbell), startMs + 10_000, 0), false)
    assert.ok(performance.now() - startMs < 5_000)
    await worker.terminate()
  })
})

void describe('PreciseClock inline waits', () => {
  void it('lets a message through before the deadline when the sender rings the doorbell', async () => {
    const doorbell = createDoorbell()
    // A window of 400 ms: the whole 300 ms sleep is waited inline, event loop stopped.
    const clock = await openPreciseClock({ inlineWaitMs: 400, inlineLeadMs: 0, doorbell })
    try {
      const worker = ringFromWorker(doorbell, 30)
      await new Promise(resolve => worker.once('online', resolve))
      const events: string[] = []
      const message = new Promise<void>(resolve => worker.once('message', () => resolve(void events.push('message'))))
      const deadlineMs = clock.now() + 300
      await clock.sleep(300)
      events.push('woke')
      await message
      assert.deepEqual(events, ['message', 'woke'])
      assert.ok(clock.now() >= deadlineMs)
      await worker.terminate()
    } finally {
      await clock.close()
    }
  })

  void it('keeps the event loop free while the owner refuses inline waits', async () => {
    let asked = 0
    const clock = await openPreciseClock({ inlineWaitMs: 400, inlineLeadMs: 0, canWaitInline: () => (asked++, false) })
    try {
      const events: string[] = []
      const timer = new Promise<void>(resolve => setTimeout(() => resolve(void events.push('timer')), 10))
      await clock.sleep(150)
      events.push('woke')
      await timer
      assert.deepEqual(events, ['timer', 'woke'])
      assert.ok(asked > 0, 'the owner was asked')
    } finally {
      await clock.close()
    }
  })

  void it('hands a far deadline over early and waits the rest inline, never resolving early', async () => {
    const clock = await openPreciseClock({ inlineWaitMs: 2, inlineLeadMs: 0.5, spinUs: 50 })
    try {
      for (const ms of [0.1, 1.9, 2.1, 5, 12]) {
        const deadlineMs = clock.now() + ms
        await clock.sleep(ms)
        assert.ok(clock.now() >= deadlineMs, `sleep(${ms}) resolved ${deadlineMs - clock.now()} ms early`)
      }
      assert.equal(clock.status.inlineWaitMs, 2)
      assert.equal(typeof clock.status.timerThreadId, 'number')
    } finally {
      await clock.close()
    }
  })

  void it('keeps one abort listener per signal, however many sleeps used it', async () => {
    const clock = await openPreciseClock({ inlineWaitMs: 2 })
    try {
      const controller = new AbortController()
      for (let i = 0; i < 50; i++) await clock.sleep(0.05, controller.signal)
      assert.equal(getEventListeners(controller.signal, 'abort').length, 1)
      const reason = new Error('stop')
      const pending = [clock.sleep(1000, controller.signal), clock.sleep(2000, controller.signal)]
      const other = clock.sleep(1)
      controller.abort(reason)
      for (const sleep of pending) await assert.rejects(sleep, error => error === reason)
      await other
    } finally {
      await clock.close()
    }
  })

  void it('refuses impossible inline options with RangeError', async () => {
    await assert.rejects(openPreciseClock({ inlineWaitMs: -1 }), RangeError)
    await assert.rejects(openPreciseClock({ inlineWaitMs: 1, inlineLeadMs: 2 }), RangeError)
    await assert.rejects(openPreciseClock({ inlineWaitMs: 0.01, spinUs: 50 }), RangeError)
  })
})
