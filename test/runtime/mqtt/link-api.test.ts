import assert from 'node:assert/strict'
import { test } from 'node:test'
import { LinkError, MqttLink, type LinkOptions, type LinkState } from '../../../runtime/mqtt/link.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'
import { freeLoopbackPort } from '../../helpers/mosquitto.ts'

// The link's edges that need no broker. Connection attempts go to a loopback port nobody listens on.

function options(overrides: Partial<LinkOptions> = {}): LinkOptions {
  return { url: 'mqtt://127.0.0.1:1', clientId: 'edgert-api-test', clock: new VirtualClock(), ...overrides }
}

test('refuses options that can never work, before anything starts', () => {
  assert.throws(() => new MqttLink(options({ url: 'http://127.0.0.1:1883' })), TypeError)
  assert.throws(() => new MqttLink(options({ url: 'not a url' })), TypeError)
  assert.throws(() => new MqttLink(options({ tls: { rejectUnauthorized: true } })), TypeError)
  assert.throws(() => new MqttLink(options({ maxInFlight: 0 })), RangeError)
  assert.throws(() => new MqttLink(options({ keepaliveS: 70_000 })), RangeError)
  assert.throws(() => new MqttLink(options({ backoff: { initialMs: 500, maxMs: 100 } })), RangeError)
})

test('rejects publishes with offline before start() and with closed after close()', async () => {
  const states: LinkState[] = []
  const link = new MqttLink(options({ onState: state => states.push(state) }))
  await assert.rejects(link.publish('edgert/test/a', 'x'), { name: 'LinkError', kind: 'offline' })
  await link.close()
  await assert.rejects(link.publish('edgert/test/a', 'x'), { name: 'LinkError', kind: 'closed' })
  assert.deepEqual(states, [{ state: 'closed' }])
  assert.throws(() => link.start(), /already closed/)
  assert.throws(() => link.subscribe('edgert/test/#', () => undefined), /closed/)
})

test('throws TypeError for a topic name with wildcards and for a malformed filter', () => {
  const link = new MqttLink(options())
  assert.throws(() => link.publish('edgert/+/alarm', 'x'), TypeError)
  assert.throws(() => link.publish('', 'x'), TypeError)
  assert.throws(() => link.subscribe('edgert/#/alarm', () => undefined), TypeError)
})

test('waits for the clock between attempts: no retry until the back-off has elapsed', async () => {
  const clock = new VirtualClock()
  const port = await freeLoopbackPort()
  const states: LinkState[] = []
  let changed: () => void = () => undefined
  const link = new MqttLink(options({
    url: `mqtt://127.0.0.1:${port}`,
    clock,
    backoff: { initialMs: 1_000, maxMs: 8_000 },
    onState: state => {
      states.push(state)
      changed()
    },
  }))
  const nextState = (): Promise<void> => new Promise(resolve => (changed = resolve))
  let next = nextState()
  link.start()
  assert.throws(() => link.start(), /already running/)
  while (!states.some(state => state.state === 'offline')) {
    await next
    next = nextState()
  }
  const offline = states.find(state => state.state === 'offline')
  assert.ok(offline?.state === 'offline' && offline.retryInMs >= 750 && offline.retryInMs <= 1_250, JSON.stringify(offline))
  await new Promise(resolve => setTimeout(resolve, 50))
  assert.equal(states.filter(state => state.state === 'connecting').length, 1, 'no second attempt while virtual time stands still')
  await clock.advance(offline.retryInMs)
  while (states.filter(state => state.state === 'connecting').length < 2) {
    await next
    next = nextState()
  }
  await link.close()
  assert.deepEqual(states.at(-1), { state: 'closed' })
  assert.equal(clock.pendingTimers, 0, 'close() leaves no back-off sleep behind')
})

test('a LinkError keeps its kind and cause', () => {
  const cause = new Error('ECONNRESET')
  const error = new LinkError('offline', 'connection lost', { cause })
  assert.equal(error.name, 'LinkError')
  assert.equal(error.kind, 'offline')
  assert.equal(error.cause, cause)
})
