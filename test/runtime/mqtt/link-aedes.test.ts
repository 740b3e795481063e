import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { it } from 'node:test'
import { connectAsync } from 'mqtt'
import { systemClock } from '../../../runtime/clock.ts'
import { startEmbeddedBroker, type EmbeddedBroker } from '../../../runtime/mqtt/embedded-broker.ts'
import { MqttLink } from '../../../runtime/mqtt/link.ts'
import { LinkStates } from '../../helpers/link-states.ts'
import { connectPeer } from '../../helpers/mqtt-peer.ts'
import { alarmLatenciesMs, describeLinkContract, summarise, type BrokerFixture } from './link.contract.ts'

/** The embedded aedes broker; "stopped" is close(), "started" a new broker on the same port. */
async function openEmbeddedBroker(): Promise<BrokerFixture> {
  let broker: EmbeddedBroker | undefined = await startEmbeddedBroker({ port: 0 })
  const { url, port } = broker
  const stop = async (): Promise<void> => {
    await broker?.close()
    broker = undefined
  }
  return {
    url,
    port,
    stop,
    start: async () => {
      broker ??= await startEmbeddedBroker({ port })
    },
    remove: stop,
  }
}

describeLinkContract('embedded aedes', openEmbeddedBroker)

it('aedes refuses an MQTT 5 CONNECT: the link goes offline with the reason and keeps running', async () => {
  const broker = await startEmbeddedBroker({ port: 0 })
  const states = new LinkStates()
  const link = new MqttLink({ url: broker.url, clientId: `edgert-test-${randomUUID().slice(0, 8)}`, protocolVersion: 5, clock: systemClock, backoff: { initialMs: 50, maxMs: 200 }, onState: states.onState })
  try {
    link.start()
    const offline = await states.offline()
    assert.match(offline.state === 'offline' ? offline.reason : '', /Unacceptable protocol version/)
    await states.offline(3_000, states.all.indexOf(offline) + 1)
    assert.equal(states.all.some(state => state.state === 'connected'), false)
  } finally {
    await link.close()
    await broker.close()
  }
})

it('for comparison: reports the alarm latency of a plain mqtt.js publisher without no-delay (diagnostic only)', async t => {
  // Not asserted: how long Nagle + delayed ACK hold the alarm depends on the kernel (~40 ms
  // delayed-ACK minimum on Linux). It shows that the measurement above would notice a regression.
  const broker = await startEmbeddedBroker({ port: 0 })
  const watcher = await connectPeer(broker.url)
  const plain = await connectAsync(broker.url, { reconnectPeriod: 0 })
  try {
    await watcher.subscribe('edgert/test/latency/#')
    const latenciesMs = await alarmLatenciesMs(watcher, (topic, payload, qos) => plain.publishAsync(topic, payload, { qos }), 30)
    t.diagnostic(`plain mqtt.js publisher without no-delay: ${summarise(latenciesMs)}`)
  } finally {
    await plain.endAsync(true)
    await watcher.close()
    await broker.close()
  }
})

it('a message handler that throws does not stop the other handlers; its error becomes a process warning', async () => {
  const broker = await startEmbeddedBroker({ port: 0 })
  const states = new LinkStates()
  const link = new MqttLink({ url: broker.url, clientId: `edgert-test-${randomUUID().slice(0, 8)}`, clock: systemClock, onState: states.onState })
  const sender = await connectPeer(broker.url)
  const warning = new Promise<Error>(resolve => process.once('warning', resolve))
  const received: string[] = []
  try {
    link.subscribe('edgert/test/cmd/#', () => {
      throw new Error('handler bug')
    })
    link.subscribe('edgert/test/cmd/+', (_topic, payload) => received.push(payload.toString()))
    link.start()
    await states.connected()
    for (let attempt = 0; attempt < 40 && received.length === 0; attempt++) {
      await sender.publish('edgert/test/cmd/ack', 'a1')
      await new Promise(resolve => setTimeout(resolve, 50))
    }
    assert.equal(received[0], 'a1')
    assert.match((await warning).message, /edgert\/test\/cmd\/#.*handler bug/)
    assert.equal(link.connected, true)
  } finally {
    await link.close()
    await sender.close()
    await broker.close()
  }
})
