import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import type { Worker } from 'node:worker_threads'
import { startModuleWorker } from '../../../runtime/executive/module-worker.ts'
import { MqttLink } from '../../../runtime/mqtt/link.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'
import { LinkStates } from '../../helpers/link-states.ts'
import { describeWithMosquitto, startMosquitto, type Mosquitto } from '../../helpers/mosquitto.ts'

/** Only a bound, so that a broken flush fails instead of hanging: a flushed message arrives within ms. */
const BLOCKED_BOUND_MS = 5_000

describeWithMosquitto('MqttLink publish with flush', () => {
  let broker: Mosquitto
  let subscriber: Worker
  const flag = new SharedArrayBuffer(4)
  const received = new Int32Array(flag)

  before(async () => {
    broker = await startMosquitto()
    subscriber = startModuleWorker(new URL('./fixtures/flag-subscriber.ts', import.meta.url), { workerData: { url: broker.url, topic: 'edgert/test/alarm', flag } })
    await new Promise<void>((resolve, reject) => {
      subscriber.once('message', () => resolve())
      subscriber.once('error', reject)
    })
  })
  after(async () => {
    const exited = new Promise(resolve => subscriber.once('exit', resolve))
    subscriber.postMessage('close')
    await exited
    await broker.remove()
  })

  it('writes the packet to the socket before publish() returns: it reaches a subscriber while this thread is blocked', async () => {
    const states = new LinkStates()
    const link = new MqttLink({ url: broker.url, clientId: 'edgert-flush-test', clock: new VirtualClock(), onState: states.onState })
    link.start()
    await states.connected()
    const acked = link.publish('edgert/test/alarm', '{"seq":1}', { flush: true })
    // No event-loop turn from here on until the wait ends: only bytes already in the socket can arrive.
    // ('not-equal' at once when it has arrived already: the loopback write can take that long.)
    Atomics.wait(received, 0, 0, BLOCKED_BOUND_MS)
    assert.equal(Atomics.load(received, 0), 1, 'the subscriber got the message while the publisher\'s thread was blocked')
    await acked
    await link.close()
  })
})
