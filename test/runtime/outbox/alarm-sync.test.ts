import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { Outbox, OutboxEntry, SyncResult } from '../../../runtime/outbox/outbox.ts'
import { ManualFsync, settle } from '../../helpers/manual-fsync.ts'
import { ids, openOutbox, outboxDirs, recordsOf, segmentFiles, takeAll } from './outbox-fixture.ts'

const freshDir = outboxDirs()

/** Appends an alarm and returns its entry and its fsync outcome. */
function appendAlarm(outbox: Outbox, payload = '{}'): { entry: OutboxEntry; synced: Promise<SyncResult> } {
  const result = outbox.append('alarm', 'dev/a', payload)
  assert.ok(result.ok, result.ok ? '' : result.reason)
  assert.ok(result.synced !== undefined, 'an alarm carries its fsync outcome')
  return { entry: result.entry, synced: result.synced }
}

/** The ids that have an ack record in the head segment. */
function ackRecords(dir: string): number[] {
  return recordsOf(join(dir, segmentFiles(dir).at(-1)!)).flatMap(({ record }) => (record.kind === 'ack' ? [record.id] : []))
}

describe('Outbox: an alarm is written at once, fsynced off the event loop, deleted only when durable', () => {
  it('hands an alarm out before its fsync has completed', async () => {
    const fsync = new ManualFsync()
    const { outbox } = await openOutbox(freshDir(), undefined, { fsync: fsync.fsync })
    const { entry } = appendAlarm(outbox)
    await settle()
    assert.equal(fsync.waiting, 1, 'its fsync has started')
    assert.deepEqual(takeAll(outbox), [entry], 'and it can be sent meanwhile')
    await fsync.completeUntil(outbox.close())
  })

  it('keeps an acknowledged alarm until its fsync completes, then records the ack and forgets it', async () => {
    const dir = freshDir()
    const fsync = new ManualFsync()
    const { outbox } = await openOutbox(dir, undefined, { fsync: fsync.fsync })
    const { entry, synced } = appendAlarm(outbox)
    takeAll(outbox)
    outbox.ack(entry.id)
    assert.equal(outbox.stats.depth, 1, 'the PUBACK alone does not delete it')
    assert.deepEqual(ackRecords(dir), [], 'no ack record before the fsync')
    outbox.releaseAll() // a disconnect now must not send it again: the broker has it
    assert.deepEqual(takeAll(outbox), [])
    await settle()
    await fsync.complete()
    assert.deepEqual(await synced, { ok: true })
    assert.equal(outbox.stats.depth, 0)
    assert.deepEqual(ackRecords(dir), [entry.id])
    await fsync.completeUntil(outbox.close())
  })

  it('forgets an alarm at its ack when its fsync completed first', async () => {
    const dir = freshDir()
    const fsync = new ManualFsync()
    const { outbox } = await openOutbox(dir, undefined, { fsync: fsync.fsync })
    const { entry, synced } = appendAlarm(outbox)
    takeAll(outbox)
    await settle()
    await fsync.complete()
    assert.deepEqual(await synced, { ok: true })
    assert.equal(outbox.stats.depth, 1, 'durable, but not acknowledged yet')
    outbox.ack(entry.id)
    assert.equal(outbox.stats.depth, 0)
    assert.deepEqual(ackRecords(dir), [entry.id])
    await fsync.completeUntil(outbox.close())
  })

  it('reports a failed fsync, keeps the alarm after its PUBACK, and sends it again after a restart', async () => {
    const dir = freshDir()
    const fsync = new ManualFsync()
    const errors: Error[] = []
    const { outbox } = await openOutbox(dir, undefined, { fsync: fsync.fsync, onError: error => errors.push(error) })
    const { entry, synced } = appendAlarm(outbox, '{"n":1}')
    takeAll(outbox)
    outbox.ack(entry.id)
    await settle()
    await fsync.fail('EIO')
    const result = await synced
    assert.equal(result.ok, false)
    assert.match(result.ok ? '' : result.reason, new RegExp(`alarm ${entry.id} was written but its fsync failed \\(EIO.*may not survive a power loss`))
    assert.equal(errors.length, 1, 'onError heard of it too')
    assert.match(errors[0]!.message, /cannot fsync the outbox/)
    assert.equal(outbox.stats.depth, 1, 'kept, although the broker acknowledged it')
    assert.deepEqual(ackRecords(dir), [])
    await fsync.completeUntil(outbox.close()) // close() fsyncs what the failed fsync left

    const { outbox: reopened, report } = await openOutbox(dir)
    assert.equal(report.entries, 1)
    assert.deepEqual(takeAll(reopened), [entry])
    await reopened.close()
  })

  it('close() waits for an alarm\'s fsync, and records the ack it held back', async () => {
    const dir = freshDir()
    const fsync = new ManualFsync()
    const { outbox } = await openOutbox(dir, undefined, { fsync: fsync.fsync })
    const { entry } = appendAlarm(outbox)
    takeAll(outbox)
    outbox.ack(entry.id)
    let closed = false
    const closing = outbox.close().then(() => (closed = true))
    for (let turn = 0; turn < 5; turn++) await settle()
    assert.equal(closed, false, 'close() is still waiting for the fsync')
    await fsync.completeUntil(closing) // the alarm's fsync, then the final one that takes in the ack record
    assert.deepEqual(ackRecords(dir), [entry.id])
    const { outbox: reopened, report } = await openOutbox(dir)
    assert.equal(report.entries, 0, 'acknowledged and durable: gone for good')
    await reopened.close()
  })

  it('finds every alarm again after a crash before any of their fsyncs completed', async () => {
    const dir = freshDir()
    const fsync = new ManualFsync()
    const { outbox } = await openOutbox(dir, undefined, { fsync: fsync.fsync, onError: () => undefined })
    const alarms = [1, 2, 3].map(n => appendAlarm(outbox, `{"n":${n}}`).entry)
    takeAll(outbox)
    for (const alarm of alarms) outbox.ack(alarm.id) // PUBACKs came; no fsync has completed
    await settle()

    // The process dies here: what it wrote is in the page cache (SIGKILL keeps it), its fsyncs never end.
    const { outbox: recovered, report } = await openOutbox(dir)
    assert.equal(report.entries, 3)
    assert.deepEqual(ids(takeAll(recovered)), ids(alarms), 'every alarm is pending again; acks held back for the fsync were never written')
    await recovered.close()
    await fsync.fail('EIO') // lets the dead process's outbox close
    await fsync.completeUntil(outbox.close())
  })

  it('a burst of alarms costs at most one fsync running and one queued behind it', async () => {
    const fsync = new ManualFsync()
    const { outbox } = await openOutbox(freshDir(), undefined, { fsync: fsync.fsync })
    const first = appendAlarm(outbox)
    await settle()
    assert.equal(fsync.waiting, 1)
    const burst = Array.from({ length: 10 }, () => appendAlarm(outbox))
    await settle()
    assert.equal(fsync.waiting, 1, 'the burst waits in one queued fsync behind the running one')
    await fsync.complete()
    assert.deepEqual(await first.synced, { ok: true })
    assert.equal(fsync.waiting, 1, 'the queued one has started, taking in the whole burst')
    await fsync.complete()
    for (const { synced } of burst) assert.deepEqual(await synced, { ok: true })
    await fsync.completeUntil(outbox.close())
  })
})
