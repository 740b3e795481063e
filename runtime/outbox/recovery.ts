import { mkdir, open, readdir, readFile } from 'node:fs/promises'
import type { OutboxEntry } from './entry.ts'
import { scanSegment, type SegmentScan } from './scan.ts'
import { reasonOf, segmentPath, type Segment } from './segment-log.ts'

/** What open() found. */
export interface OpenReport {
  /** Unacknowledged entries recovered (they are pending again). */
  readonly entries: number
  /** Bytes of all segments after recovery. */
  readonly bytes: number
  /** Bytes cut off the end of segments: records that were being written when the process or the power stopped. */
  readonly tornTailBytes: number
  /** Stretches of bad bytes between valid records (each counts once), skipped. */
  readonly corruptRecords: number
  /** One sentence per cut or skip, naming the file and the byte offset. */
  readonly problems: readonly string[]
}

export interface RecoveredEntry {
  readonly entry: OutboxEntry
  readonly recordBytes: number
  /** The segment holding its newest copy. */
  readonly segment: Segment
}

export interface Recovered {
  /** Oldest first, sizes after truncation; `live` is 0 (whoever tracks the entries counts them). */
  readonly segments: Segment[]
  /** Unacknowledged entries, by id. */
  readonly entries: RecoveredEntry[]
  /** The next id to hand out: above every id and segment-start counter seen. */
  readonly nextId: number
  readonly report: OpenReport
}

const SEGMENT_NAME = /^([1-9][0-9]*)\.log$/

/**
 * Reads every segment of `dir` (created if missing), oldest first, and replays it: data records
 * become entries (a later copy of the same id, from a copy-forward, replaces the earlier one),
 * ack records remove them. A tail of the newest segment that holds no valid record is cut off
 * (truncate + fsync) and counted as torn; a bad end of an older segment is counted as corrupt.
 * Other files in the directory are left alone.
 */
export async function recover(dir: string): Promise<Recovered> {
  await mkdir(dir, { recursive: true })
  const numbers = (await readdir(dir))
    .map(name => SEGMENT_NAME.exec(name)?.[1])
    .filter(n => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b)
  const segments: Segment[] = []
  const problems: string[] = []
  const found = new Map<number, RecoveredEntry>()
  const acked = new Set<number>()
  let maxId = 0
  let tornTailBytes = 0
  let corruptRecords = 0
  for (const n of numbers) {
    const path = segmentPath(dir, n)
    const scan = scanSegment(await readFile(path))
    const isHead = n === numbers.at(-1)
    const segment: Segment = { n, path, bytes: isHead ? scan.validBytes : scan.validBytes + scan.tailBytes, live: 0 }
    segments.push(segment)
    corruptRecords += scan.corrupt.length
    for (const region of scan.corrupt) {
      problems.push(`${path}: ${region.bytes} bytes at byte offset ${region.offset} are not a valid record (${explain(region.why)}); skipped, and the records after them were recovered.`)
    }
    if (scan.tailBytes > 0 && isHead) {
      tornTailBytes += scan.tailBytes
      problems.push(await cutTail(path, scan))
    } else if (scan.tailBytes > 0) {
      // Segments before the head were fsynced when the head rolled past them: a bad end there is
      // damage, not a write cut short. Valid records follow in the next segment; nothing is cut.
      corruptRecords++
      problems.push(`${path}: ${scan.tailBytes} bytes at byte offset ${scan.validBytes} (the end of a full segment) are not a valid record; skipped, and the following segments were recovered.`)
    }
    for (const { record, bytes } of scan.records) {
      if (record.kind === 'data') {
        found.set(record.entry.id, { entry: record.entry, recordBytes: bytes, segment })
        maxId = Math.max(maxId, record.entry.id)
      } else if (record.kind === 'ack') {
        acked.add(record.id)
        maxId = Math.max(maxId, record.id)
      } else {
        maxId = Math.max(maxId, record.nextId - 1)
      }
    }
  }
  const entries = [...found.values()].filter(({ entry }) => !acked.has(entry.id)).sort((a, b) => a.entry.id - b.entry.id)
  const bytes = segments.reduce((sum, segment) => sum + segment.bytes, 0)
  return { segments, entries, nextId: maxId + 1, report: { entries: entries.length, bytes, tornTailBytes, corruptRecords, problems } }
}

async function cutTail(path: string, scan: SegmentScan): Promise<string> {
  const what = `${path}: ${scan.tailBytes} bytes at byte offset ${scan.validBytes} hold no complete record (a write cut short by a crash or power loss)`
  try {
    const handle = await open(path, 'r+')
    try {
      await handle.truncate(scan.validBytes)
      await handle.sync()
    } finally {
      await handle.close()
    }
    return `${what}; cut off.`
  } catch (error) {
    return `${what}; they could not be cut off (${reasonOf(error)}); new records overwrite them.`
  }
}

function explain(why: string): string {
  switch (why) {
    case 'magic':
      return 'no record header'
    case 'crc':
      return 'CRC mismatch'
    case 'short':
      return 'its length runs past the end of the file'
    default:
      return 'the body does not parse'
  }
}
