import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { resetStartHistory, StartHistory } from '../../../runtime/service/start-history.ts'
import { tempDir } from '../../helpers/temp-files.ts'

const policy = { failedStarts: 3, windowMs: 600_000 }
const MIN = 60_000

/** A start at `atMs` that then crashes (nothing marks it). */
function crashAt(file: string, atMs: number): ReturnType<StartHistory['begin']> {
  return StartHistory.open(file, atMs).begin(policy, atMs)
}

describe('StartHistory (the crash-loop guard)', () => {
  it('starts in safe mode after 3 failed starts within 10 min, and says why', () => {
    const file = join(tempDir().dir, 'starts.json')
    assert.equal(crashAt(file, 0).safeMode, false)
    assert.equal(crashAt(file, 1 * MIN).failedInWindow, 1)
    assert.equal(crashAt(file, 2 * MIN).safeMode, false)
    const decision = crashAt(file, 3 * MIN)
    assert.equal(decision.safeMode, true)
    assert.equal(decision.failedInWindow, 3)
    assert.match(decision.reason ?? '', /^3 failed starts in the last 10 min \(crash-loop guard\)/)
  })

  it('does not count a start that became stable or stopped cleanly', () => {
    const file = join(tempDir().dir, 'starts.json')
    for (let i = 0; i < 5; i++) {
      const history = StartHistory.open(file, i * MIN)
      assert.equal(history.begin(policy, i * MIN).safeMode, false)
      if (i % 2 === 0) history.markStable()
      else history.markStopped()
    }
    const outcomes = (JSON.parse(readFileSync(file, 'utf8')) as { starts: { outcome: string }[] }).starts.map(start => start.outcome)
    assert.deepEqual(outcomes, ['stable', 'stopped', 'stable', 'stopped', 'stable'])
  })

  it('forgets failures older than the window', () => {
    const file = join(tempDir().dir, 'starts.json')
    crashAt(file, 0)
    crashAt(file, 5 * MIN)
    crashAt(file, 9 * MIN)
    const decision = crashAt(file, 12 * MIN)
    assert.equal(decision.failedInWindow, 2, 'the start at 0 is 12 min old')
    assert.equal(decision.safeMode, false)
  })

  it('a crash in safe mode keeps it in safe mode; reset ends it', () => {
    const file = join(tempDir().dir, 'starts.json')
    for (let i = 0; i < 4; i++) crashAt(file, i * MIN)
    assert.equal(crashAt(file, 4 * MIN).safeMode, true)
    assert.equal(resetStartHistory(file), true)
    assert.equal(crashAt(file, 5 * MIN).safeMode, false)
    assert.equal(resetStartHistory(join(tempDir().dir, 'none.json')), false)
  })

  it('--safe-mode forces it whatever the history; with no policy nothing else does', () => {
    const file = join(tempDir().dir, 'starts.json')
    const forced = StartHistory.open(file, 0).begin(null, 0, true)
    assert.deepEqual([forced.safeMode, forced.reason], [true, 'started with --safe-mode'])
    for (let i = 1; i < 10; i++) assert.equal(StartHistory.open(file, i).begin(null, i).safeMode, false)
  })

  it('sets a corrupt history aside, says so, and counts afresh', () => {
    const { dir } = tempDir()
    const file = join(dir, 'starts.json')
    writeFileSync(file, '{"version": 1, "starts": [{"at": "yesterday"}]}')
    const decision = StartHistory.open(file, 42).begin(policy, 42)
    assert.equal(decision.safeMode, false)
    assert.match(decision.problem ?? '', /starts\[0\]\.at: expected epoch ms\); set aside as .*starts\.json\.corrupt-42/)
    assert.ok(readdirSync(dir).includes('starts.json.corrupt-42'))
    assert.ok(existsSync(file))
  })

  it('keeps at most 100 starts', () => {
    const file = join(tempDir().dir, 'starts.json')
    for (let i = 0; i < 120; i++) {
      const history = StartHistory.open(file, i)
      history.begin(policy, i)
      history.markStopped()
    }
    const starts = (JSON.parse(readFileSync(file, 'utf8')) as { starts: { at: number }[] }).starts
    assert.equal(starts.length, 100)
    assert.equal(starts[0]?.at, 20)
  })
})
