import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { describe, it } from 'node:test'
import { setTimeout as delay } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { Outbox } from '../../../runtime/outbox/outbox.ts'
import { outboxDirs, seededRandom } from './outbox-fixture.ts'

const CHILD = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url))
const freshDir = outboxDirs()

interface Limits {
  readonly maxBytes: number
  readonly segmentBytes: number
}

interface ChildRun {
  readonly appended: ReadonlyArray<{ readonly id: number; readonly cls: string }>
  /** Acks about to be made: the last one may or may not have been written when the kill came. */
  readonly acking: readonly number[]
  readonly acked: readonly number[]
  /** Alarms whose fsync completed (any ack of them made before is recorded by then). */
  readonly synced: readonly number[]
  readonly refused: number
}

/** Starts the child on `dir`, SIGKILLs it `killAfterMs` after it reported the outbox open, and parses what it printed. */
async function runAndKill(dir: string, seed: number, limits: Limits, killAfterMs: number): Promise<ChildRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(seed), String(limits.maxBytes), String(limits.segmentBytes)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  const closed = new Promise<NodeJS.Signals | null>(resolve => child.on('close', (_code, signal) => resolve(signal)))
  const ready = new Promise<boolean>(resolve => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (stdout.startsWith('R\n')) resolve(true)
    })
    child.on('close', () => resolve(false))
  })
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  assert.ok(await ready, `the child did not open the outbox: ${stderr}`)
  await delay(killAfterMs) // the one real wait: a random moment in the child's publishing
  child.kill('SIGKILL')
  assert.equal(await closed, 'SIGKILL', `the child ended by itself: ${stderr}`)
  const run = { appended: [] as { id: number; cls: string }[], acking: [] as number[], acked: [] as number[], synced: [] as number[], refused: 0 }
  // Every line is one write(2); only complete lines count.
  for (const line of stdout.slice(0, stdout.lastIndexOf('\n')).split('\n')) {
    const [kind, id, cls] = line.split(' ')
    if (kind === 'A') run.appended.push({ id: Number(id), cls: cls! })
    else if (kind === 'k') run.acking.push(Number(id))
    else if (kind === 'K') run.acked.push(Number(id))
    else if (kind === 'S') run.synced.push(Number(id))
    else if (kind === 'F') run.refused++
    else if (kind === 'E') assert.fail(`the child reported an error: ${line}`)
  }
  return run
}

/**
 * Kills a publishing child `kills` times on one directory. After each kill the outbox must open
 * without corruption, and every id the child was told was appended must be pending or have
 * been acknowledged (at least once: an ack may be lost, then its entry is pending again).
 * An ack that returned survives the kill, except an alarm's made before its fsync completed:
 * that one is recorded only after the fsync, so the alarm may be pending again.
 * With `telemetryMayDrop`, telemetry may also have been dropped by the bound.
 */
async function crashLoop(kills: number, limits: Limits, telemetryMayDrop: boolean): Promise<void> {
  const seed = Date.now() % 1_000_000
  const draw = seededRandom(seed)
  const dir = freshDir()
  const appended = new Map<number, string>()
  const acked = new Set<number>()
  const acking = new Set<number>()
  const synced = new Set<number>()
  let maxIdSeen = 0
  let lostAcks = 0
  let heldBackAcks = 0
  let records = 0
  for (let kill = 1; kill <= kills; kill++) {
    const context = `kill ${kill} of ${kills}, seed ${seed}, ${dir}`
    const run = await runAndKill(dir, seed + kill, limits, 20 + Math.floor(draw() * 180))
    records += run.appended.length
    assert.ok(run.appended.length > 0 || run.refused > 0, `the child published nothing: ${context}`)
    assert.ok((run.appended[0]?.id ?? Infinity) > maxIdSeen, `ids continue after a restart: ${context}`)
    for (const { id, cls } of run.appended) appended.set(id, cls)
    for (const id of run.acked) acked.add(id)
    for (const id of run.acking) acking.add(id)
    for (const id of run.synced) synced.add(id)

    const { outbox, report } = await Outbox.open({ dir, ...limits, wallNow: Date.now, now: () => performance.now(), onError: error => assert.fail(error) })
    assert.equal(report.corruptRecords, 0, `${context}: ${report.problems.join(' ')}`)
    const pending = new Set(outbox.take(Number.POSITIVE_INFINITY).map(entry => entry.id))
    assert.ok(pending.size <= report.entries)
    await outbox.close()
    const missing = [...appended].filter(([id, cls]) => !pending.has(id) && !acked.has(id) && !(telemetryMayDrop && cls === 't'))
    // Killed between ack() and its "K" line: the ack is on disk, the parent just was not told.
    const ackInProgress = missing.filter(([id]) => acking.has(id))
    assert.ok(ackInProgress.length <= kill, `${context}: ${ackInProgress.length} acks in progress`)
    assert.deepEqual(missing.filter(([id]) => !acking.has(id)), [], `appended, never acknowledged, and not pending after the restart: ${context}`)
    for (const id of pending) {
      if (acked.has(id) && appended.get(id) === 'a' && !synced.has(id)) heldBackAcks++
      else if (acked.has(id)) lostAcks++
      maxIdSeen = Math.max(maxIdSeen, id)
    }
    for (const id of appended.keys()) maxIdSeen = Math.max(maxIdSeen, id)
  }
  // SIGKILL keeps the page cache, so an ack that was recorded is not lost (only power loss loses one).
  assert.equal(lostAcks, 0, `acks lost: ${lostAcks} (and ${heldBackAcks} alarm acks held back for their fsync)`)
  assert.ok(records > kills * 20, `${records} records appended over ${kills} kills`)
}

describe('Outbox under SIGKILL', { concurrency: true }, () => {
  it('delivers every appended record at least once across 50 kills at random moments on one directory', { timeout: 120_000 }, async () => {
    await crashLoop(50, { maxBytes: 64 * 1024 * 1024, segmentBytes: 16 * 1024 }, false)
  })

  it('never loses an alarm or a state message across 15 kills while the bound drops telemetry', { timeout: 120_000 }, async () => {
    await crashLoop(15, { maxBytes: 48 * 1024, segmentBytes: 4 * 1024 }, true)
  })
})
