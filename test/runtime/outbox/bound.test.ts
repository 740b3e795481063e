import assert from 'node:assert/strict'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { OutboxEntry } from '../../../runtime/outbox/outbox.ts'
import { ids, mustAppend, openOutbox, outboxDirs, segmentFiles, takeAll } from './outbox-fixture.ts'

const freshDir = outboxDirs()
const MAX_BYTES = 16 * 1024
const SEGMENT_BYTES = 2 * 1024
const bounded = { maxBytes: MAX_BYTES, segmentBytes: SEGMENT_BYTES }
/** About 130 bytes of record each. */
const payload = (n: number): string => JSON.stringify({ n, values: 'x'.repeat(90) })

describe('Outbox bound', () => {
  it('drops the oldest telemetry, counted, and stays within maxBytes after every append', async () => {
    const dir = freshDir()
    const { outbox } = await openOutbox(dir, undefined, bounded)
    const appended: OutboxEntry[] = []
    for (let n = 0; n < 1000; n++) {
      appended.push(mustAppend(outbox, 'telemetry', 'dev/1/telemetry', payload(n)))
      assert.ok(outbox.stats.bytes <= MAX_BYTES, `${outbox.stats.bytes} bytes after append ${n}`)
    }
    const { depth, droppedTelemetry, droppedBytes, bytes } = outbox.stats
    assert.ok(droppedTelemetry > 800, `dropped ${droppedTelemetry}`)
    assert.equal(depth + droppedTelemetry, 1000)
    // A data record is a 10-byte header, 20 fixed body bytes, then topic and payload (ASCII here).
    const recordBytes = (entry: OutboxEntry): number => 30 + entry.topic.length + entry.payload.length
    assert.equal(droppedBytes, appended.slice(0, droppedTelemetry).reduce((sum, entry) => sum + recordBytes(entry), 0))
    // What is left is the newest telemetry, without a gap.
    assert.deepEqual(ids(takeAll(outbox)), ids(appended.slice(droppedTelemetry)))
    assert.ok(bytes > MAX_BYTES * 0.75, `the bound is used, not wasted: ${bytes}`)
    assert.ok(segmentFiles(dir).length <= MAX_BYTES / SEGMENT_BYTES + 1)
    assert.equal(segmentFiles(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0), bytes, 'stats.bytes is what is on disk')
    await outbox.close()
  })

  it('never drops an alarm or a state message, also when its segment is evacuated', async () => {
    const dir = freshDir()
    const { outbox } = await openOutbox(dir, undefined, bounded)
    const kept = [mustAppend(outbox, 'alarm', 'dev/1/alarms', '{"a":1}'), mustAppend(outbox, 'state', 'dev/1/status', '"online"', true)]
    for (let n = 0; n < 500; n++) {
      mustAppend(outbox, 'telemetry', 'dev/1/telemetry', payload(n))
      if (n === 250) kept.push(mustAppend(outbox, 'alarm', 'dev/1/alarms', '{"a":2}'))
    }
    assert.ok(outbox.stats.bytes <= MAX_BYTES)
    assert.ok(!segmentFiles(dir).includes('1.log'), 'the first segment was evacuated')
    assert.deepEqual(outbox.stats.byClass.alarm, 2)
    assert.deepEqual(outbox.take(3), [kept[0], kept[2], kept[1]])
    await outbox.close()

    const { outbox: reopened, report } = await openOutbox(dir, undefined, bounded)
    assert.deepEqual(report.problems, [])
    assert.deepEqual(reopened.take(3), [kept[0], kept[2], kept[1]])
    assert.equal(reopened.stats.depth, report.entries)
    await reopened.close()
  })

  it('refuses an alarm with a reason when alarms alone would exceed maxBytes, after dropping all telemetry', async () => {
    const dir = freshDir()
    const { outbox } = await openOutbox(dir, undefined, bounded)
    for (let n = 0; n < 40; n++) mustAppend(outbox, 'telemetry', 'dev/1/telemetry', payload(n))
    const alarms: OutboxEntry[] = []
    for (;;) {
      const result = outbox.append('alarm', 'dev/1/alarms', payload(alarms.length))
      if (!result.ok) {
        assert.match(result.reason, /no room for this alarm message/)
        assert.match(result.reason, /maxBytes \(16384\)/)
        break
      }
      alarms.push(result.entry)
      assert.ok(alarms.length < 200, 'an alarm must be refused eventually')
    }
    assert.ok(alarms.length > 100)
    assert.equal(outbox.stats.byClass.telemetry, 0)
    assert.equal(outbox.stats.droppedTelemetry, 40)
    assert.ok(outbox.stats.bytes <= MAX_BYTES)
    // A refused telemetry message is refused the same way; nothing else changes.
    const refused = outbox.append('telemetry', 'dev/1/telemetry', payload(0))
    assert.equal(refused.ok, false)
    assert.deepEqual(takeAll(outbox), alarms)
    await outbox.close()

    const { outbox: reopened } = await openOutbox(dir, undefined, bounded)
    assert.deepEqual(takeAll(reopened), alarms)
    await reopened.close()
  })

  it('refuses a message whose record cannot fit in one segment', async () => {
    const { outbox } = await openOutbox(freshDir(), undefined, bounded)
    const result = outbox.append('alarm', 'dev/1/alarms', 'x'.repeat(SEGMENT_BYTES))
    assert.equal(result.ok, false)
    assert.match(result.ok ? '' : result.reason, /one segment holds at most 2030/)
    assert.equal(outbox.stats.depth, 0)
    await outbox.close()
  })

  it('deletes segments once everything in them is acknowledged, keeping the head', async () => {
    const dir = freshDir()
    const { outbox } = await openOutbox(dir, undefined, bounded)
    for (let round = 0; round < 20; round++) {
      const batch = Array.from({ length: 10 }, (_, n) => mustAppend(outbox, n % 3 ? 'telemetry' : 'state', 't', payload(n)))
      for (const entry of outbox.take(10)) outbox.ack(entry.id)
      assert.equal(outbox.stats.depth, 0, `round ${round}, ${batch.length}`)
      assert.ok(segmentFiles(dir).length <= 2, segmentFiles(dir).join())
    }
    assert.equal(outbox.stats.droppedTelemetry, 0)
    await outbox.close()
  })
})
