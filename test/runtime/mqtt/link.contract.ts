import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { Socket } from 'node:net'
import { describe, it, mock, type TestContext } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { systemClock } from '../../../runtime/clock.ts'
import { LinkError, MqttLink, type LinkOptions } from '../../../runtime/mqtt/link.ts'
import { LinkStates } from '../../helpers/link-states.ts'
import { connectPeer, type MqttPeer } from '../../helpers/mqtt-peer.ts'
import { startTcpProxy } from '../../helpers/tcp-proxy.ts'

/** A broker the suite can take down and bring back on the same port. */
export interface BrokerFixture {
  readonly url: string
  readonly port: number
  /** The broker is gone and the port refuses connections. */
  stop(): Promise<void>
  /** The broker is back on the same port. */
  start(): Promise<void>
  /** Stops it for good and cleans up. */
  remove(): Promise<void>
}

/** Test back-off: short, so outages resolve quickly; `maxMs` is the bound the reconnect tests check. */
const BACKOFF = { initialMs: 50, maxMs: 400 } as const

/**
 * The MqttLink contract, run against every broker we support (the serialport testBinding pattern,
 * STYLE.md §10). Real sockets on loopback, the real system clock.
 */
export function describeLinkContract(name: string, openBroker: () => Promise<BrokerFixture>, protocolVersion: 4 | 5 = 4): void {
  describe(`MqttLink contract: ${name}, MQTT ${protocolVersion === 5 ? '5' : '3.1.1'}`, () => {
    /** A fresh broker, a state recorder and a link factory for one test; everything is closed after it. */
    async function setUp(t: TestContext) {
      const broker = await openBroker()
      const states = new LinkStates()
      const cleanups: (() => Promise<unknown>)[] = [() => broker.remove()]
      t.after(async () => {
        for (const cleanup of cleanups.reverse()) await cleanup()
      })
      const link = (options: Partial<LinkOptions> = {}): MqttLink => {
        const created = new MqttLink({
          url: broker.url,
          clientId: `edgert-test-${randomUUID().slice(0, 8)}`,
          protocolVersion,
          clock: systemClock,
          backoff: BACKOFF,
          onState: states.onState,
          ...options,
        })
        cleanups.push(() => created.close())
        return created
      }
      const peer = async (): Promise<MqttPeer> => {
        const connected = await connectPeer(broker.url, { protocolVersion })
        cleanups.push(() => connected.close())
        return connected
      }
      const proxy = async () => {
        const started = await startTcpProxy(broker.port)
        cleanups.push(() => started.close())
        return started
      }
      return { broker, states, link, peer, proxy }
    }

    it('connects and resolves a QoS 1 publish once the broker has acknowledged it', async t => {
      const { states, link, peer } = await setUp(t)
      const watcher = await peer()
      await watcher.subscribe('edgert/test/telemetry')
      const subject = link()
      subject.start()
      const connected = await states.connected()
      assert.deepEqual({ ...connected, atMs: 0 }, { state: 'connected', sessionPresent: false, connectionCount: 1, atMs: 0 })
      assert.equal(subject.connected, true)

      const sent = subject.publish('edgert/test/telemetry', '{"seq":1}')
      assert.equal(subject.inFlight, 1)
      await sent
      assert.equal(subject.inFlight, 0)
      assert.equal((await watcher.message('edgert/test/telemetry')).payload.toString(), '{"seq":1}')
    })

    it('publishes at QoS 0 and sends binary payloads unchanged', async t => {
      const { states, link, peer } = await setUp(t)
      const watcher = await peer()
      await watcher.subscribe('edgert/test/raw')
      const subject = link()
      subject.start()
      await states.connected()
      const bytes = new Uint8Array([0, 1, 2, 254, 255]).subarray(1)
      await subject.publish('edgert/test/raw', bytes, { qos: 0 })
      assert.deepEqual([...(await watcher.message('edgert/test/raw')).payload], [1, 2, 254, 255])
    })

    it('keeps a retained message for a subscriber that comes later', async t => {
      const { states, link, peer } = await setUp(t)
      const subject = link()
      subject.start()
      await states.connected()
      await subject.publish('edgert/test/status', 'online', { retain: true })
      const late = await peer()
      await late.subscribe('edgert/test/status')
      const message = await late.message('edgert/test/status')
      assert.equal(message.payload.toString(), 'online')
      assert.equal(message.retain, true)
    })

    it('hands messages on a subscribed filter to its handler', async t => {
      const { states, link, peer } = await setUp(t)
      const subject = link()
      const received: string[] = []
      subject.subscribe('edgert/test/cmd/#', (topic, payload) => received.push(`${topic} ${payload.toString()}`))
      subject.start()
      await states.connected()
      const sender = await peer()
      await publishUntilReceived(sender, 'edgert/test/cmd/ack', 'a1', () => received.length > 0)
      assert.equal(received[0], 'edgert/test/cmd/ack a1')
    })

    it('starts with the broker down, backs off, and connects and re-subscribes by itself when it comes up', async t => {
      const { broker, states, link, peer } = await setUp(t)
      await broker.stop()
      const subject = link()
      const received: string[] = []
      subject.subscribe('edgert/test/cmd/+', (_topic, payload) => received.push(payload.toString()))
      assert.doesNotThrow(() => subject.start())

      await assertRejectsAtOnce(subject.publish('edgert/test/telemetry', 'x'), 'offline')
      const firstOffline = await states.offline()
      assert.match(firstOffline.state === 'offline' ? firstOffline.reason : '', /ECONNREFUSED/)
      await delay(1_000)
      const waits = states.all.flatMap(state => (state.state === 'offline' ? [state.retryInMs] : []))
      assert.ok(waits.length >= 3, `expected at least 3 retries in 1 s, saw ${waits.length}`)
      for (let index = 1; index < 3; index++) assert.ok(waits[index]! > waits[index - 1]!, `back-off grows: ${waits.join(', ')}`)
      assert.ok(waits.every(waitMs => waitMs <= BACKOFF.maxMs), `back-off never exceeds maxMs: ${waits.join(', ')}`)

      await broker.start()
      const upAtMs = performance.now()
      const connected = await states.connected(BACKOFF.maxMs + 2_000)
      assert.ok(connected.atMs - upAtMs <= BACKOFF.maxMs + 500, `connected ${Math.round(connected.atMs - upAtMs)} ms after the broker came up`)
      const sender = await peer()
      await publishUntilReceived(sender, 'edgert/test/cmd/shelve', 'after-outage', () => received.length > 0)
      assert.deepEqual(received.slice(0, 1), ['after-outage'])
    })

    it('fails in-flight publishes with offline when the broker stops, and reconnects within the back-off bound', async t => {
      const { broker, states, link } = await setUp(t)
      const subject = link({ maxInFlight: 8 })
      subject.start()
      await states.connected()
      const outcomes = Array.from({ length: 100 }, (_, seq) =>
        subject.publish('edgert/test/telemetry', `{"seq":${seq}}`).then(() => 'acked', (error: unknown) => error),
      )
      const stopped = broker.stop()
      const settled = await Promise.all(outcomes)
      const failures = settled.filter(outcome => outcome !== 'acked')
      assert.ok(failures.length > 0, 'some publishes were still in flight when the broker stopped')
      for (const failure of failures) assert.ok(failure instanceof LinkError && failure.kind === 'offline', String(failure))
      await stopped
      const offlineIndex = states.all.length
      await states.offline(3_000, offlineIndex - 1)
      await assertRejectsAtOnce(subject.publish('edgert/test/telemetry', 'x'), 'offline')

      await delay(300)
      const beforeRestart = states.all.length
      await broker.start()
      const upAtMs = performance.now()
      const connected = await states.connected(BACKOFF.maxMs + 2_000, beforeRestart)
      assert.equal(connected.state === 'connected' ? connected.connectionCount : 0, 2)
      assert.ok(connected.atMs - upAtMs <= BACKOFF.maxMs + 500, `reconnected ${Math.round(connected.atMs - upAtMs)} ms after the broker came up`)
      await subject.publish('edgert/test/telemetry', 'after restart')
    })

    it('has its will published when its connection is cut without DISCONNECT', async t => {
      const { states, link, peer, proxy } = await setUp(t)
      const watcher = await peer()
      await watcher.subscribe('edgert/test/device/status')
      const relay = await proxy()
      const subject = link({ url: relay.url, will: { topic: 'edgert/test/device/status', payload: 'offline', retain: true, qos: 1 } })
      subject.start()
      await states.connected()
      relay.cut()
      const will = await watcher.message('edgert/test/device/status', 3_000)
      assert.equal(will.payload.toString(), 'offline')
      await states.offline()
    })

    it('does not have its will published after close()', async t => {
      const { states, link, peer } = await setUp(t)
      const watcher = await peer()
      await watcher.subscribe('edgert/test/device/status')
      const subject = link({ will: { topic: 'edgert/test/device/status', payload: 'offline', retain: false, qos: 1 } })
      subject.start()
      await states.connected()
      await subject.close()
      await delay(300)
      assert.deepEqual(watcher.received, [])
      assert.deepEqual(states.all.at(-1)?.state, 'closed')
    })

    it('gives up on a broker that accepts TCP but never answers CONNECT, after connectTimeoutMs', async t => {
      const { states, link, proxy } = await setUp(t)
      const relay = await proxy()
      relay.freeze()
      const subject = link({ url: relay.url, connectTimeoutMs: 300 })
      const startMs = performance.now()
      subject.start()
      const offline = await states.offline(2_000)
      assert.match(offline.state === 'offline' ? offline.reason : '', /connack timeout/)
      assert.ok(offline.atMs - startMs < 1_000, `gave up after ${Math.round(offline.atMs - startMs)} ms`)
    })

    it('notices a broker that stops answering within 1.5 × keepalive, and fails its in-flight publishes', async t => {
      const { states, link, proxy } = await setUp(t)
      const relay = await proxy()
      const subject = link({ url: relay.url, keepaliveS: 1 })
      subject.start()
      await states.connected()
      relay.freeze()
      const frozenAtMs = performance.now()
      const pending = subject.publish('edgert/test/alarm', 'brake').catch((error: unknown) => error)
      const offline = await states.offline(3_000)
      assert.match(offline.state === 'offline' ? offline.reason : '', /Keepalive timeout/)
      assert.ok(offline.atMs - frozenAtMs <= 2_100, `noticed after ${Math.round(offline.atMs - frozenAtMs)} ms`)
      const outcome = await pending
      assert.ok(outcome instanceof LinkError && outcome.kind === 'offline', String(outcome))
    })

    it('close() while waiting for CONNACK returns at once', async t => {
      const { states, link, proxy } = await setUp(t)
      const relay = await proxy()
      relay.freeze()
      const subject = link({ url: relay.url })
      subject.start()
      await delay(100)
      const startMs = performance.now()
      await subject.close()
      assert.ok(performance.now() - startMs < 200, 'nothing to wait for without a connection')
      assert.deepEqual(states.all.map(state => state.state), ['connecting', 'closed'])
    })

    it('close({ graceful }) with a hung broker returns within its bound and fails in-flight publishes with closed', async t => {
      const { states, link, proxy } = await setUp(t)
      const relay = await proxy()
      const subject = link({ url: relay.url })
      subject.start()
      await states.connected()
      relay.freeze()
      const pending = [1, 2, 3].map(seq => subject.publish('edgert/test/telemetry', `{"seq":${seq}}`).catch((error: unknown) => error))
      assert.equal(subject.inFlight, 3)
      const startMs = performance.now()
      await subject.close({ graceful: true })
      const tookMs = performance.now() - startMs
      assert.ok(tookMs >= 1_900 && tookMs < 3_500, `graceful close took ${Math.round(tookMs)} ms (2 s for acks + ≤ 1 s to end)`)
      for (const outcome of await Promise.all(pending)) assert.ok(outcome instanceof LinkError && outcome.kind === 'closed', String(outcome))
      await assertRejectsAtOnce(subject.publish('edgert/test/telemetry', 'late'), 'closed')
    })

    it('close() waits for nothing: in-flight publishes fail with closed at once', async t => {
      const { states, link, proxy } = await setUp(t)
      const relay = await proxy()
      const subject = link({ url: relay.url })
      subject.start()
      await states.connected()
      relay.freeze()
      const pending = subject.publish('edgert/test/telemetry', 'x').catch((error: unknown) => error)
      const startMs = performance.now()
      await subject.close()
      assert.ok(performance.now() - startMs < 1_500, 'close() is bounded by the 1 s end wait')
      const outcome = await pending
      assert.ok(outcome instanceof LinkError && outcome.kind === 'closed', String(outcome))
      assert.equal(subject.connected, false)
    })

    it('close({ graceful }) waits for acks that do come', async t => {
      const { states, link, peer } = await setUp(t)
      const watcher = await peer()
      await watcher.subscribe('edgert/test/telemetry')
      const subject = link()
      subject.start()
      await states.connected()
      const pending = Array.from({ length: 20 }, (_, seq) => subject.publish('edgert/test/telemetry', `{"seq":${seq}}`))
      await subject.close({ graceful: true })
      await Promise.all(pending)
    })

    it('leaves no socket or timer behind after close()', async t => {
      const { states, link } = await setUp(t)
      await delay(50)
      const before = activeResources()
      const subject = link({ keepaliveS: 1 })
      subject.start()
      await states.connected()
      void subject.publish('edgert/test/telemetry', 'x').catch(() => undefined)
      await subject.close()
      await eventually(() => activeResources().sockets <= before.sockets && activeResources().timers <= before.timers, 1_000)
    })

    it('sets TCP no-delay on its socket before connecting', async t => {
      const { states, link } = await setUp(t)
      const subject = link()
      const spy = mock.method(Socket.prototype, 'setNoDelay')
      try {
        subject.start()
        assert.ok(spy.mock.calls.some(call => call.arguments[0] === true), 'setNoDelay(true) called during start()')
      } finally {
        spy.mock.restore()
      }
      await states.connected()
    })

    it('delivers an alarm that follows 20 KB of telemetry within a few ms (p50 of 50 rounds)', async t => {
      const { states, link, peer } = await setUp(t)
      const watcher = await peer()
      await watcher.subscribe('edgert/test/latency/#')
      const subject = link()
      subject.start()
      await states.connected()
      const latenciesMs = await alarmLatenciesMs(watcher, (topic, payload, qos) => subject.publish(topic, payload, { qos }))
      const summary = summarise(latenciesMs)
      t.diagnostic(`${name} MQTT ${protocolVersion}: alarm after 20 KB telemetry, subscriber receipt ${summary}`)
      assert.ok(percentile(latenciesMs, 0.5) < 5, summary)
    })
  })
}

/** One round: a 20 KB QoS 0 telemetry write, then a small QoS 1 alarm; the alarm's time to the subscriber. */
export async function alarmLatenciesMs(
  watcher: MqttPeer,
  publish: (topic: string, payload: string | Buffer, qos: 0 | 1) => Promise<unknown>,
  rounds = 50,
): Promise<number[]> {
  const telemetry = Buffer.alloc(20_000, 'x')
  const latenciesMs: number[] = []
  for (let round = 0; round < rounds; round++) {
    const fromIndex = watcher.received.length
    await publish('edgert/test/latency/telemetry', telemetry, 0)
    const sentAtMs = performance.now()
    const acked = publish('edgert/test/latency/alarm', `{"round":${round}}`, 1)
    const alarm = await watcher.message('edgert/test/latency/alarm', 2_000, fromIndex)
    latenciesMs.push(alarm.atMs - sentAtMs)
    await acked
  }
  return latenciesMs
}

export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN
}

export function summarise(latenciesMs: readonly number[]): string {
  const at = (fraction: number): string => percentile(latenciesMs, fraction).toFixed(2)
  return `p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${at(1)} ms over ${latenciesMs.length} rounds`
}

/** A peer's publish may reach the broker before the link's SUBSCRIBE does, so repeat until it arrives. */
async function publishUntilReceived(sender: MqttPeer, topic: string, payload: string, arrived: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 40 && !arrived(); attempt++) {
    await sender.publish(topic, payload)
    await delay(50)
  }
  assert.ok(arrived(), `the link never received ${topic}`)
}

/** Rejects with the given LinkError kind before any I/O could have happened (within one macrotask). */
async function assertRejectsAtOnce(promise: Promise<unknown>, kind: LinkError['kind']): Promise<void> {
  let outcome: unknown = 'pending'
  promise.then(() => (outcome = 'resolved'), (error: unknown) => (outcome = error))
  await new Promise(resolve => setImmediate(resolve))
  assert.ok(outcome instanceof LinkError, `expected a LinkError at once, got ${String(outcome)}`)
  assert.equal(outcome.kind, kind)
}

function activeResources(): { sockets: number; timers: number } {
  const active = process.getActiveResourcesInfo()
  return { sockets: active.filter(kind => kind === 'TCPSocketWrap').length, timers: active.filter(kind => kind === 'Timeout').length }
}

async function eventually(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadlineMs = performance.now() + timeoutMs
  while (!condition()) {
    assert.ok(performance.now() < deadlineMs, `still active after ${timeoutMs} ms: ${process.getActiveResourcesInfo().join(', ')}`)
    await delay(20)
  }
}
