import assert from 'node:assert/strict'
import { test } from 'node:test'
import { LinkError } from '../../../runtime/mqtt/link-error.ts'
import { PendingSends, type SendDone } from '../../../runtime/mqtt/pending-sends.ts'

/** A send that records its `done`, so the test plays the broker's PUBACK. */
function recorder(): { send: (done: SendDone) => void; acks: SendDone[] } {
  const acks: SendDone[] = []
  return { send: done => acks.push(done), acks }
}

const settle = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

test('starts at most `limit` acked sends; the next starts when one is acknowledged, in call order', async () => {
  const sends = new PendingSends(2)
  const { send, acks } = recorder()
  const order: number[] = []
  const results = [1, 2, 3, 4].map(seq => sends.acked(done => { order.push(seq); send(done) }))
  assert.deepEqual(order, [1, 2])
  assert.equal(sends.inFlight, 2)
  acks[0]!()
  await settle()
  assert.deepEqual(order, [1, 2, 3])
  assert.equal(sends.inFlight, 2)
  acks[1]!()
  acks[2]!()
  acks[3]!()
  await Promise.all(results)
  assert.equal(sends.inFlight, 0)
})

test('failAll rejects in-flight, waiting and written sends, and every later send', async () => {
  const sends = new PendingSends(1)
  const { send, acks } = recorder()
  const inFlight = sends.acked(send)
  const waiting = sends.acked(send)
  const written = sends.written(send)
  const offline = new LinkError('offline', 'connection lost')
  sends.failAll(offline)
  for (const outcome of [inFlight, waiting, written, sends.acked(send), sends.written(send)]) await assert.rejects(outcome, offline)
  // A late PUBACK (mqtt.js flushing) changes nothing.
  acks[0]!()
  assert.equal(sends.inFlight, 0)
})

test('passes a send error to its caller and frees the slot', async () => {
  const sends = new PendingSends(1)
  const { send, acks } = recorder()
  const first = sends.acked(send)
  const second = sends.acked(send)
  const rejected = new LinkError('rejected', 'Publish error: Not authorized')
  acks[0]!(rejected)
  await assert.rejects(first, rejected)
  await settle()
  acks[1]!()
  await second
})

test('whenIdle resolves once nothing is in flight or waiting', async () => {
  const sends = new PendingSends(1)
  await sends.whenIdle()
  const { send, acks } = recorder()
  const first = sends.acked(send)
  const second = sends.acked(send)
  let idle = false
  void sends.whenIdle().then(() => (idle = true))
  acks[0]!()
  await first
  await settle()
  assert.equal(idle, false)
  acks[1]!()
  await second
  await settle()
  assert.equal(idle, true)
})
