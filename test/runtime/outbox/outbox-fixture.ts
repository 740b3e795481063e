import assert from 'node:assert/strict'
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Outbox, type OutboxOptions, type OutboxEntry } from '../../../runtime/outbox/outbox.ts'
import { scanSegment, type ScannedRecord } from '../../../runtime/outbox/scan.ts'
import { tempDir } from '../../helpers/temp-files.ts'

/** A test's hand-driven clocks: the monotonic Clock (for the fsync timer) and the wall clock. */
export interface TestClocks {
  nowMs: number
  wallMs: number
}

/** A folder maker for one test file: each call gives a fresh, empty outbox directory. */
export function outboxDirs(): () => string {
  const { dir } = tempDir()
  let made = 0
  return () => {
    const path = join(dir, `outbox-${++made}`)
    mkdirSync(path)
    return path
  }
}

/** Opens an outbox on hand-driven clocks; every asynchronous error fails the test. */
export function openOutbox(dir: string, clocks: TestClocks = { nowMs: 0, wallMs: 1_700_000_000_000 }, extra: Partial<OutboxOptions> = {}): ReturnType<typeof Outbox.open> {
  return Outbox.open({
    dir,
    maxBytes: 1024 * 1024,
    wallNow: () => clocks.wallMs++,
    now: () => clocks.nowMs,
    onError: error => assert.fail(error),
    ...extra,
  })
}

/** Appends and asserts it was stored. */
export function mustAppend(outbox: Outbox, cls: OutboxEntry['cls'], topic: string, payload: string, retain = false): OutboxEntry {
  const result = outbox.append(cls, topic, payload, retain)
  assert.ok(result.ok, result.ok ? '' : result.reason)
  return result.entry
}

/** Everything pending, in send order (marks it in flight). */
export function takeAll(outbox: Outbox): OutboxEntry[] {
  return outbox.take(Number.POSITIVE_INFINITY)
}

export function ids(entries: readonly OutboxEntry[]): number[] {
  return entries.map(entry => entry.id)
}

/** Segment file names in the directory, oldest first. */
export function segmentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter(name => /^\d+\.log$/.test(name))
    .sort((a, b) => Number.parseInt(a) - Number.parseInt(b))
}

/** The records of one segment file as the recovery scan sees them. */
export function recordsOf(file: string): readonly ScannedRecord[] {
  return scanSegment(readFileSync(file)).records
}

/** A small deterministic generator (mulberry32), seeded per test so a run can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
