import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { OutboxEntry } from '../../../runtime/outbox/outbox.ts'
import { ids, mustAppend, openOutbox, outboxDirs, recordsOf, segmentFiles, takeAll } from './outbox-fixture.ts'

const freshDir = outboxDirs()

/** An outbox with a few mixed entries (the last record of its only segment is the last one appended), closed. */
async function writeSample(): Promise<{ dir: string; file: string; entries: OutboxEntry[] }> {
  const dir = freshDir()
  const { outbox } = await openOutbox(dir)
  const entries = [
    mustAppend(outbox, 'telemetry', 'dev/1/telemetry', '{"t":[1,2,3]}'),
    mustAppend(outbox, 'alarm', 'dev/1/alarms', '{"id":"overheat","state":"active"}'),
    mustAppend(outbox, 'state', 'dev/1/status', '"online"', true),
    mustAppend(outbox, 'telemetry', 'dev/1/telemetry', '{"t":[4,5,6],"note":"the last record"}'),
  ]
  await outbox.close()
  return { dir, file: join(dir, '1.log'), entries }
}

/** A copy of an outbox directory, to damage without touching the original. */
function copyOf(dir: string): string {
  const copy = freshDir()
  for (const name of segmentFiles(dir)) copyFileSync(join(dir, name), join(copy, name))
  return copy
}

function sorted(entries: readonly OutboxEntry[]): number[] {
  return ids(entries).sort((a, b) => a - b)
}

describe('Outbox recovery', () => {
  it('cuts a torn last record at every byte offset, keeps everything before it, and appends after it', async () => {
    const { dir, file, entries } = await writeSample()
    const last = recordsOf(file).at(-1)!
    const fullBytes = statSync(file).size
    assert.equal(last.offset + last.bytes, fullBytes)
    for (let cut = last.offset + 1; cut < fullBytes; cut++) {
      const copy = copyOf(dir)
      truncateSync(join(copy, '1.log'), cut)
      const { outbox, report } = await openOutbox(copy)
      assert.equal(report.tornTailBytes, cut - last.offset, `cut at ${cut}`)
      assert.equal(report.corruptRecords, 0)
      assert.equal(report.problems.length, 1)
      assert.match(report.problems[0]!, new RegExp(`1\\.log: ${cut - last.offset} bytes at byte offset ${last.offset} `))
      assert.equal(statSync(join(copy, '1.log')).size, last.offset, 'the torn tail is cut off the file')
      assert.deepEqual(sorted(takeAll(outbox)), [1, 2, 3])
      assert.deepEqual(takeAll(outbox), [])
      // The torn record's id was never acknowledged to a caller; the next append may take it again.
      assert.equal(mustAppend(outbox, 'alarm', 'dev/1/alarms', '{}').id, 4)
      await outbox.close()
      const again = await openOutbox(copy)
      assert.deepEqual(again.report.problems, [])
      assert.deepEqual(sorted(takeAll(again.outbox)), [1, 2, 3, 4])
      await again.outbox.close()
    }
    assert.equal(entries.length, 4)
  })

  it('makes an entry pending again when its ack record is torn (at-least-once)', async () => {
    const dir = freshDir()
    const { outbox } = await openOutbox(dir)
    const entry = mustAppend(outbox, 'state', 's', '{}')
    outbox.ack(entry.id)
    await outbox.close()
    truncateSync(join(dir, '1.log'), statSync(join(dir, '1.log')).size - 3)
    const reopened = await openOutbox(dir)
    assert.equal(reopened.report.tornTailBytes, 15)
    assert.deepEqual(takeAll(reopened.outbox), [entry])
    await reopened.outbox.close()
  })

  it('skips a corrupt record in the middle whichever byte is flipped, counts it, names file and offset, and recovers the rest', async () => {
    const { dir, file, entries } = await writeSample()
    const records = recordsOf(file)
    const victim = records.find(each => each.record.kind === 'data' && each.record.entry.id === 2)!
    for (let at = victim.offset; at < victim.offset + victim.bytes; at++) {
      const copy = copyOf(dir)
      const bytes = readFileSync(join(copy, '1.log'))
      bytes[at]! ^= 0xff
      writeFileSync(join(copy, '1.log'), bytes)
      const { outbox, report } = await openOutbox(copy)
      assert.equal(report.corruptRecords, 1, `flipped byte ${at}`)
      assert.equal(report.tornTailBytes, 0)
      assert.equal(report.problems.length, 1)
      assert.ok(report.problems[0]!.startsWith(`${join(copy, '1.log')}: ${victim.bytes} bytes at byte offset ${victim.offset} `), report.problems[0])
      assert.deepEqual(takeAll(outbox), [entries[2], entries[0], entries[3]]) // the state message, then telemetry 1 and 4
      await outbox.close()
    }
  })

  it('counts a bad end of an older segment as corrupt, not torn, and recovers the segments after it', async () => {
    const dir = freshDir()
    const { outbox } = await openOutbox(dir, undefined, { segmentBytes: 256 })
    const entries = Array.from({ length: 20 }, (_, n) => mustAppend(outbox, 'state', 's', `{"n":${n}}`))
    await outbox.close()
    const first = join(dir, segmentFiles(dir)[0]!)
    const lastOfFirst = recordsOf(first).at(-1)!
    truncateSync(first, lastOfFirst.offset + 3)
    const { outbox: reopened, report } = await openOutbox(dir, undefined, { segmentBytes: 256 })
    assert.equal(report.tornTailBytes, 0)
    assert.equal(report.corruptRecords, 1)
    assert.match(report.problems[0]!, /1\.log: 3 bytes at byte offset \d+ \(the end of a full segment\)/)
    const lost = lastOfFirst.record.kind === 'data' ? lastOfFirst.record.entry.id : -1
    assert.deepEqual(takeAll(reopened), entries.filter(entry => entry.id !== lost))
    await reopened.close()
  })

  it('ignores other files in the directory and recovers segments in numeric order', async () => {
    const dir = freshDir()
    const { outbox } = await openOutbox(dir, undefined, { segmentBytes: 256 })
    for (let n = 0; n < 80; n++) mustAppend(outbox, 'telemetry', 't', `{"n":${n}}`)
    await outbox.close()
    assert.ok(segmentFiles(dir).includes('10.log'), 'numeric, not lexical, order matters here')
    writeFileSync(join(dir, 'notes.txt'), 'not a segment')
    mkdirSync(join(dir, '99.log.d'))
    const { outbox: reopened, report } = await openOutbox(dir, undefined, { segmentBytes: 256 })
    assert.deepEqual(report.problems, [])
    assert.deepEqual(ids(takeAll(reopened)), Array.from({ length: 80 }, (_, n) => n + 1))
    await reopened.close()
  })
})
