import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Outbox, type AsyncFsync } from '../../../runtime/outbox/outbox.ts'
import { LinkError } from '../../../runtime/mqtt/link.ts'
import { TelemetryBatcher } from '../../../runtime/telemetry/batcher.ts'
import { Dispatcher, type PublishLink } from '../../../runtime/telemetry/dispatcher.ts'
import { Topics } from '../../../runtime/telemetry/topics.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'
import { ManualFsync } from '../../helpers/manual-fsync.ts'
import { tempDir } from '../../helpers/temp-files.ts'

const { dir } = tempDir()
let opened = 0

/** A broker stand-in: records each publish and answers its PUBACK when told. */
class FakeLink implements PublishLink {
  connected = false
  readonly sent: { topic: string; payload: string; retain: boolean; flush: boolean; ack: () => void; fail: () => void }[] = []

  publish(topic: string, payload: string, options: { qos: 1; retain: boolean; flush: boolean }): Promise<void> {
    if (!this.connected) return Promise.reject(new LinkError('offline', 'not connected'))
    return new Promise((resolve, reject) => this.sent.push({ topic, payload, retain: options.retain, flush: options.flush, ack: resolve, fail: () => reject(new LinkError('offline', 'connection lost')) }))
  }

  /** Acknowledges everything sent so far and lets the promise chains run. */
  async ackAll(): Promise<void> {
    for (const message of this.sent.splice(0)) message.ack()
    await new Promise(resolve => setImmediate(resolve))
  }
}

async function setup(options: { window?: number; backlogPerSecond?: number } = {}, fsync?: AsyncFsync) {
  const clock = new VirtualClock()
  const { outbox } = await Outbox.open({ dir: `${dir}/outbox-${opened++}`, maxBytes: 4 * 1024 * 1024, wallNow: () => 1_000_000 + clock.now(), now: () => clock.now(), ...(fsync === undefined ? {} : { fsync }) })
  const link = new FakeLink()
  const dispatcher = new Dispatcher({ outbox, link, clock, wallNow: () => 1_000_000 + clock.now(), ...options })
  return { clock, outbox, link, dispatcher }
}

describe('Dispatcher: the outbox to the broker', () => {
  it('sends nothing while offline and keeps it all; on connect sends it as historical, alarms first', async () => {
    const { outbox, link, dispatcher } = await setup()
    dispatcher.send('telemetry', 't/1', '{"n":1}')
    dispatcher.send('alarm', 'a/1', '{"n":2}')
    dispatcher.send('telemetry', 't/1', '{"n":3}')
    assert.equal(link.sent.length, 0)
    assert.equal(outbox.stats.depth, 3)
    link.connected = true
    dispatcher.connected()
    assert.deepEqual(link.sent.map(m => m.payload), ['{"historical":true,"n":2}', '{"historical":true,"n":1}', '{"historical":true,"n":3}'])
    await link.ackAll()
    await outbox.sync() // the alarm leaves once its fsync has completed too
    assert.equal(outbox.stats.depth, 0, 'each left the outbox on its PUBACK')
    dispatcher.send('telemetry', 't/1', '{"n":4}')
    assert.deepEqual(link.sent.map(m => m.payload), ['{"n":4}'], 'live messages are not historical')
    await outbox.close()
  })

  it('hands an alarm to the link, flushed, while its fsync runs; it leaves the outbox only after both the fsync and the PUBACK', async () => {
    const fsync = new ManualFsync()
    const { link, dispatcher, outbox } = await setup({}, fsync.fsync)
    link.connected = true
    dispatcher.connected()
    const result = dispatcher.send('alarm', 'a/1', '{"n":1}')
    assert.ok(result.ok)
    dispatcher.send('telemetry', 't/1', '{"n":2}')
    assert.deepEqual(link.sent.map(m => [m.payload, m.flush]), [['{"n":1}', true], ['{"n":2}', false]], 'sent at once, before any fsync completed; the alarm written to the socket at once')
    await link.ackAll()
    assert.equal(outbox.stats.depth, 1, 'the alarm\'s PUBACK came before its fsync: it stays')
    assert.equal(dispatcher.stats.published, 2)
    dispatcher.offline()
    link.connected = true
    dispatcher.connected()
    assert.deepEqual(link.sent, [], 'and it is not sent again after a reconnect')
    await fsync.complete()
    assert.deepEqual(await result.synced, { ok: true })
    assert.equal(outbox.stats.depth, 0, 'fsync and PUBACK both done: gone')
    await fsync.completeUntil(outbox.close())
  })

  it('a live alarm goes before any backlog, and the backlog is rate-limited', async () => {
    const { clock, link, dispatcher, outbox } = await setup({ backlogPerSecond: 10 })
    for (let i = 0; i < 40; i++) dispatcher.send('telemetry', 't/1', `{"n":${i}}`)
    link.connected = true
    dispatcher.connected()
    assert.equal(link.sent.length, 10, 'one second of backlog at once, no more')
    await link.ackAll()
    dispatcher.send('alarm', 'a/1', '{"live":true}')
    assert.equal(link.sent[0]?.payload, '{"live":true}', 'the live alarm went at once')
    await link.ackAll()
    await clock.advance(1000)
    assert.ok(link.sent.length >= 9 && link.sent.length <= 11, `${link.sent.length} backlog messages in the next second`)
    await link.ackAll()
    await clock.advance(3000)
    await link.ackAll()
    await clock.advance(1000)
    await link.ackAll()
    await outbox.sync()
    assert.equal(outbox.stats.depth, 0, 'the backlog drained')
    dispatcher.close()
    await outbox.close()
  })

  it('a lost connection puts the in-flight messages back; they go again, in order, after the reconnect', async () => {
    const { link, dispatcher, outbox } = await setup()
    link.connected = true
    dispatcher.connected()
    dispatcher.send('alarm', 'a/1', '{"n":1}')
    dispatcher.send('telemetry', 't/1', '{"n":2}')
    link.connected = false
    for (const message of link.sent.splice(0)) message.fail()
    await new Promise(resolve => setImmediate(resolve))
    dispatcher.offline()
    assert.equal(outbox.stats.depth, 2)
    link.connected = true
    dispatcher.connected()
    assert.deepEqual(link.sent.map(m => m.payload), ['{"historical":true,"n":1}', '{"historical":true,"n":2}'])
    assert.equal(dispatcher.stats.retried, 2)
    await outbox.close()
  })

  it('a retained state superseded by a newer one for the same topic is not sent; states of a previous run are dropped at start', async () => {
    const { link, dispatcher, outbox } = await setup()
    dispatcher.send('state', 's/brake', '{"level":1}', true)
    dispatcher.send('state', 's/brake', '{"level":0}', true)
    dispatcher.send('state', 'cmd-result', '{"id":"a"}')
    dispatcher.send('state', 'cmd-result', '{"id":"b"}')
    link.connected = true
    dispatcher.connected()
    assert.deepEqual(link.sent.map(m => [m.topic, m.payload]), [['s/brake', '{"historical":true,"level":0}'], ['cmd-result', '{"historical":true,"id":"a"}'], ['cmd-result', '{"historical":true,"id":"b"}']])
    assert.equal(dispatcher.stats.superseded, 1)
    link.connected = false
    dispatcher.send('state', 's/status', '{"state":"online"}', true) // still waiting when the run ends
    const next = new Dispatcher({ outbox, link: new FakeLink(), clock: new VirtualClock(), wallNow: () => 0 })
    assert.equal(next.stats.superseded, 1, 'the previous run\'s retained state is dropped')
    await outbox.close()
  })
})

describe('TelemetryBatcher', () => {
  it('batches per task by count and by time, with consecutive seq per task', () => {
    const batches: [string, number[]][] = []
    const batcher = new TelemetryBatcher(() => ({ maxReadings: 3, maxDelayMs: 100 }), (taskId, readings) => batches.push([taskId, readings.map(r => r.seq)]))
    const reading = { t: 0, quality: 'good' as const, values: { x: 1 } }
    for (let i = 0; i < 4; i++) batcher.add('a', reading, i)
    batcher.add('b', reading, 10)
    assert.deepEqual(batches, [['a', [1, 2, 3]]])
    assert.equal(batcher.dueAtMs, 3 + 100)
    batcher.tick(102)
    assert.deepEqual(batches, [['a', [1, 2, 3]]], 'not yet due')
    batcher.tick(103)
    assert.deepEqual(batches, [['a', [1, 2, 3]], ['a', [4]]])
    batcher.flushAll()
    assert.deepEqual(batches.at(-1), ['b', [1]])
    assert.equal(batcher.dueAtMs, Infinity)
  })
})

describe('Topics', () => {
  it('builds every topic under <prefix>/<device> and refuses topic syntax in names', () => {
    const topics = new Topics('edgert', 'pi-1')
    assert.equal(topics.alarmEvents('fever'), 'edgert/pi-1/alarms/fever/events')
    assert.equal(topics.commandName('edgert/pi-1/cmd/reset'), 'reset')
    assert.equal(topics.commandName('edgert/pi-1/cmd/a/b'), undefined)
    assert.throws(() => new Topics('edgert', 'a/b'), /device id "a\/b" must not contain/)
    assert.throws(() => new Topics('edgert', '#'), /must not contain/)
    assert.throws(() => new Topics('$SYS', 'x'), /must not start with \$/)
  })
})
