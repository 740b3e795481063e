import assert from 'node:assert/strict'
import { Socket } from 'node:net'
import { mock, test } from 'node:test'
import { startEmbeddedBroker } from '../../../runtime/mqtt/embedded-broker.ts'
import { connectPeer } from '../../helpers/mqtt-peer.ts'

test('listens on 127.0.0.1 on a free port when asked for port 0', async () => {
  const broker = await startEmbeddedBroker({ port: 0 })
  try {
    assert.ok(broker.port > 0)
    assert.equal(broker.url, `mqtt://127.0.0.1:${broker.port}`)
    const peer = await connectPeer(broker.url)
    await peer.close()
  } finally {
    await broker.close()
  }
})

test('rejects when the port is taken, and leaves nothing running', async () => {
  const first = await startEmbeddedBroker({ port: 0 })
  try {
    await assert.rejects(startEmbeddedBroker({ port: first.port }), { code: 'EADDRINUSE' })
  } finally {
    await first.close()
  }
})

test('sets no-delay on every accepted socket', async () => {
  const broker = await startEmbeddedBroker({ port: 0 })
  const spy = mock.method(Socket.prototype, 'setNoDelay')
  try {
    const peer = await connectPeer(broker.url, { noDelay: false })
    assert.ok(spy.mock.calls.some(call => call.arguments[0] === true && (call.this as Socket).localPort === broker.port))
    await peer.close()
  } finally {
    spy.mock.restore()
    await broker.close()
  }
})

test('close() ends client connections, frees the port, and can be called twice', async () => {
  const broker = await startEmbeddedBroker({ port: 0 })
  const peer = await connectPeer(broker.url)
  const peerClosed = new Promise<void>(resolve => peer.client.once('close', () => resolve()))
  await Promise.all([broker.close(), broker.close()])
  await peerClosed
  const again = await startEmbeddedBroker({ port: broker.port })
  await again.close()
  await peer.close()
})
