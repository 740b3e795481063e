import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { OutboxClass } from '../../../runtime/outbox/outbox.ts'
import { ids, mustAppend, openOutbox, outboxDirs, segmentFiles, takeAll, type TestClocks, seededRandom } from './outbox-fixture.ts'

const freshDir = outboxDirs()

function classOf(draw: number): OutboxClass {
  return draw < 0.1 ? 'alarm' : draw < 0.3 ? 'state' : 'telemetry'
}

describe('Outbox append, take, ack, release', () => {
  it('hands out every alarm first, then state, then telemetry, each oldest first', async () => {
    const { outbox } = await openOutbox(freshDir())
    const t1 = mustAppend(outbox, 'telemetry', 'dev/t', '{"n":1}')
    const s1 = mustAppend(outbox, 'state', 'dev/s', '{"n":2}', true)
    const a1 = mustAppend(outbox, 'alarm', 'dev/a', '{"n":3}')
    const t2 = mustAppend(outbox, 'telemetry', 'dev/t', '{"n":4}')
    const a2 = mustAppend(outbox, 'alarm', 'dev/a', '{"n":5}')
    const s2 = mustAppend(outbox, 'state', 'dev/s', '{"n":6}')
    assert.deepEqual(ids([t1, s1, a1, t2, a2, s2]), [1, 2, 3, 4, 5, 6])
    assert.deepEqual(outbox.take(10), [a1, a2, s1, s2, t1, t2])
    assert.deepEqual(s1, { id: 2, cls: 'state', topic: 'dev/s', payload: '{"n":2}', retain: true, appendedAtWallMs: s1.appendedAtWallMs })
    await outbox.close()
  })

  it('marks what it takes as in flight, respects the limit and the filter', async () => {
    const { outbox } = await openOutbox(freshDir())
    const [a, s, t1, t2] = [mustAppend(outbox, 'alarm', 'a', '1'), mustAppend(outbox, 'state', 's', '2'), mustAppend(outbox, 'telemetry', 't', '3'), mustAppend(outbox, 'telemetry', 't', '4')]
    assert.deepEqual(outbox.take(2), [a, s])
    assert.deepEqual(outbox.take(1, entry => entry.id === t2.id), [t2])
    assert.deepEqual(outbox.take(10), [t1])
    assert.deepEqual(outbox.take(10), [])
    assert.deepEqual(outbox.take(0), [])
    assert.equal(outbox.stats.depth, 4) // in flight still counts until acknowledged
    await outbox.close()
  })

  it('puts a released entry back in its old place, not at the end', async () => {
    const { outbox } = await openOutbox(freshDir())
    const telemetry = [1, 2, 3, 4].map(n => mustAppend(outbox, 'telemetry', 't', String(n)))
    const alarm = mustAppend(outbox, 'alarm', 'a', '{}')
    assert.deepEqual(ids(takeAll(outbox)), [5, 1, 2, 3, 4])
    outbox.release(telemetry[3]!.id)
    outbox.release(telemetry[0]!.id)
    outbox.release(alarm.id)
    outbox.release(999) // unknown: ignored
    assert.deepEqual(ids(takeAll(outbox)), [5, 1, 4])
    outbox.releaseAll()
    assert.deepEqual(ids(takeAll(outbox)), [5, 1, 2, 3, 4])
    await outbox.close()
  })

  it('removes acknowledged entries and ignores unknown or repeated acks', async () => {
    const clocks: TestClocks = { nowMs: 0, wallMs: 1000 }
    const { outbox } = await openOutbox(freshDir(), clocks)
    const appended = outbox.append('alarm', 'a', '{}')
    assert.ok(appended.ok)
    const a = appended.entry
    const t = mustAppend(outbox, 'telemetry', 't', '{}')
    assert.deepEqual(await appended.synced, { ok: true }) // an alarm's ack waits for its fsync: tested in alarm-sync.test.ts
    assert.deepEqual(outbox.stats.byClass, { alarm: 1, state: 0, telemetry: 1 })
    assert.equal(outbox.stats.oldestAppendedAtWallMs, 1000)
    takeAll(outbox)
    outbox.ack(a.id)
    outbox.ack(a.id)
    outbox.ack(12345)
    outbox.release(a.id)
    assert.deepEqual(outbox.stats.byClass, { alarm: 0, state: 0, telemetry: 1 })
    assert.equal(outbox.stats.oldestAppendedAtWallMs, 1001)
    outbox.ack(t.id) // a pending entry can be acked too
    assert.equal(outbox.stats.depth, 0)
    assert.equal(outbox.stats.oldestAppendedAtWallMs, null)
    await outbox.close()
  })

  it('refuses after close, and take returns nothing', async () => {
    const { outbox } = await openOutbox(freshDir())
    mustAppend(outbox, 'state', 's', '{}')
    await outbox.close()
    await outbox.close()
    assert.deepEqual(outbox.append('alarm', 'a', '{}'), { ok: false, reason: 'the outbox is closed' })
    assert.deepEqual(outbox.take(5), [])
  })

  it('rejects options that cannot work with a RangeError', async () => {
    await assert.rejects(openOutbox(freshDir(), undefined, { maxBytes: 10 }), RangeError)
    await assert.rejects(openOutbox(freshDir(), undefined, { maxBytes: 4096, segmentBytes: 8192 }), RangeError)
    await assert.rejects(openOutbox(freshDir(), undefined, { syncEveryMs: -1 }), RangeError)
  })
})

describe('Outbox restart', () => {
  it('after 1000 mixed appends with half acknowledged, reopens with exactly the rest pending and continues the ids', async () => {
    const dir = freshDir()
    const draw = seededRandom(7)
    const { outbox } = await openOutbox(dir, undefined, { segmentBytes: 8 * 1024 })
    const appended = Array.from({ length: 1000 }, (_, n) => mustAppend(outbox, classOf(draw()), `dev/${n % 7}`, JSON.stringify({ n, text: 'é€😀'.repeat(n % 5) }), n % 3 === 0))
    const taken = outbox.take(600)
    const acked = new Set(appended.filter(() => draw() < 0.5).map(entry => entry.id))
    for (const id of acked) outbox.ack(id)
    outbox.release(taken[0]!.id) // some in flight, some released: after a restart all are pending
    await outbox.close()
    assert.ok(segmentFiles(dir).length > 1, 'the test should span several segments')

    const { outbox: reopened, report } = await openOutbox(dir)
    const expected = appended.filter(entry => !acked.has(entry.id))
    assert.deepEqual(report, { entries: expected.length, bytes: report.bytes, tornTailBytes: 0, corruptRecords: 0, problems: [] })
    const order = { alarm: 0, state: 1, telemetry: 2 }
    assert.deepEqual(takeAll(reopened), expected.sort((a, b) => order[a.cls] - order[b.cls] || a.id - b.id))
    assert.equal(mustAppend(reopened, 'telemetry', 't', '{}').id, 1001)
    await reopened.close()
  })

  it('never reuses an id, even when everything was acknowledged and the spent segments deleted', async () => {
    const dir = freshDir()
    const { outbox } = await openOutbox(dir, undefined, { segmentBytes: 512 })
    for (let n = 0; n < 200; n++) outbox.ack(mustAppend(outbox, n % 2 ? 'state' : 'telemetry', 'dev/x', `{"n":${n}}`).id)
    await outbox.close()
    assert.ok(segmentFiles(dir).length <= 2, `spent segments are deleted: ${segmentFiles(dir).join(', ')}`)
    assert.ok(!segmentFiles(dir).includes('1.log'))

    const { outbox: reopened, report } = await openOutbox(dir, undefined, { segmentBytes: 512 })
    assert.equal(report.entries, 0)
    assert.equal(mustAppend(reopened, 'alarm', 'a', '{}').id, 201)
    await reopened.close()
  })

  it('deletes the segments of a recovered backlog once it is acknowledged', async () => {
    const dir = freshDir()
    const { outbox } = await openOutbox(dir, undefined, { segmentBytes: 512 })
    for (let n = 0; n < 100; n++) mustAppend(outbox, 'telemetry', 'dev/x', `{"n":${n}}`)
    await outbox.close()
    assert.ok(segmentFiles(dir).length > 5)
    const { outbox: reopened } = await openOutbox(dir, undefined, { segmentBytes: 512 })
    for (const entry of takeAll(reopened)) reopened.ack(entry.id)
    assert.deepEqual(segmentFiles(dir), [segmentFiles(dir).at(-1)], 'only the head is left')
    await reopened.close()
  })

  it('starts an alarm\'s fsync at once and fsyncs the rest by group commit, due syncEveryMs after the last sync', async () => {
    const clocks: TestClocks = { nowMs: 1000, wallMs: 0 }
    const { outbox } = await openOutbox(freshDir(), clocks, { syncEveryMs: 50 })
    assert.equal(outbox.syncDueAtMs, null)
    mustAppend(outbox, 'telemetry', 't', '{}')
    assert.equal(outbox.syncDueAtMs, 1050)
    clocks.nowMs = 1020
    const alarm = outbox.append('alarm', 'a', '{}') // its fsync is queued: it takes in everything written until it starts
    assert.equal(outbox.syncDueAtMs, null)
    mustAppend(outbox, 'state', 's', '{}')
    assert.equal(outbox.syncDueAtMs, null, 'the queued fsync has not started: it takes this record in too')
    assert.ok(alarm.ok)
    assert.deepEqual(await alarm.synced, { ok: true })
    assert.equal(outbox.syncDueAtMs, null)
    mustAppend(outbox, 'state', 's', '{}')
    assert.equal(outbox.syncDueAtMs, 1070)
    clocks.nowMs = 1070
    mustAppend(outbox, 'telemetry', 't', '{}') // due: this append starts the group fsync
    assert.equal(outbox.syncDueAtMs, null)
    outbox.ack(1)
    assert.equal(outbox.syncDueAtMs, null, 'the group fsync, queued and not started, takes the ack in')
    await outbox.sync()
    outbox.ack(3)
    assert.equal(outbox.syncDueAtMs, 1120)
    await outbox.sync()
    assert.equal(outbox.syncDueAtMs, null)
    await outbox.close()
  })
})
