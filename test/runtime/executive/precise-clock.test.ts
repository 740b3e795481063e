// The precise clock is an adapter over real time, so these tests wait a few real ms (the one
// place in the suite that does). They assert ordering and never-early, never how precise the
// wake-ups are: that depends on the machine and is measured by bench/jitter.ts instead.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { openPreciseClock, type PreciseClock } from '../../../runtime/executive/precise-clock.ts'

void describe('PreciseClock', () => {
  let clock: PreciseClock
  before(async () => {
    clock = await openPreciseClock()
  })
  after(async () => {
    await clock.close()
  })

  void it('never resolves a sleep before now() + ms', async () => {
    for (let i = 0; i < 40; i++) {
      const ms = (i % 8) * 0.37
      const startMs = clock.now()
      await clock.sleep(ms)
      const endMs = clock.now()
      assert.ok(endMs >= startMs + ms, `sleep(${ms}) from ${startMs} ended at ${endMs}`)
    }
  })

  void it('resolves concurrent sleeps in deadline order, each at or after its deadline', async () => {
    const delaysMs = [3.1, 0.2, 1.7, 0.2, 2.4, 0, 1.1, 3.1]
    const woke: { index: number; deadlineMs: number; atMs: number }[] = []
    await Promise.all(
      delaysMs.map(async (ms, index) => {
        const deadlineMs = clock.now() + ms
        await clock.sleep(ms)
        woke.push({ index, deadlineMs, atMs: clock.now() })
      }),
    )
    const expected = [...woke].sort((a, b) => a.deadlineMs - b.deadlineMs || a.index - b.index).map(w => w.index)
    assert.deepEqual(
      woke.map(w => w.index),
      expected,
    )
    for (const w of woke) assert.ok(w.atMs >= w.deadlineMs, `sleep ${w.index} woke at ${w.atMs}, before ${w.deadlineMs}`)
  })

  void it('rejects an aborted sleep with the signal reason and lets the later ones resolve on time', async () => {
    const controller = new AbortController()
    const reason = new Error('cancelled by test')
    let fired = false
    const aborted = clock.sleep(1, controller.signal).then(() => {
      fired = true
    })
    const laterStartMs = clock.now()
    const later = clock.sleep(3)
    controller.abort(reason)
    await assert.rejects(aborted, error => error === reason)
    await later
    assert.ok(clock.now() >= laterStartMs + 3)
    assert.equal(fired, false)
  })

  void it('rejects at once when the signal is already aborted', async () => {
    const reason = new Error('too late')
    const signal = AbortSignal.abort(reason)
    await assert.rejects(clock.sleep(0, signal), error => error === reason)
  })

  void it('reports its tuning as strings', () => {
    assert.equal(typeof clock.status.timerSlack, 'string')
    assert.equal(clock.status.realtime, 'off')
  })

  void it('refuses impossible options with RangeError', async () => {
    await assert.rejects(openPreciseClock({ spinUs: -1 }), RangeError)
    await assert.rejects(openPreciseClock({ realtimePriority: 0 }), RangeError)
    await assert.rejects(openPreciseClock({ realtimePriority: 1.5 }), RangeError)
  })
})

void describe('PreciseClock lifecycle', () => {
  void it('rejects pending and later sleeps once closed', async () => {
    const clock = await openPreciseClock({ timerSlack: false })
    assert.equal(clock.status.timerSlack, 'off')
    const outcomes = Promise.allSettled([clock.sleep(50), clock.sleep(10_000)])
    await clock.close()
    for (const outcome of await outcomes) {
      assert.equal(outcome.status, 'rejected')
      assert.match(String(outcome.reason), /closed/)
    }
    await assert.rejects(clock.sleep(1), /closed/)
    await clock.close()
  })

  void it('reports a realtime attempt as set or as the reason it was refused, without throwing', async () => {
    const clock = await openPreciseClock({ realtimePriority: 1 })
    try {
      assert.equal(typeof clock.status.realtime, 'string')
      assert.notEqual(clock.status.realtime, 'off')
      await clock.sleep(1)
    } finally {
      await clock.close()
    }
  })

  void it('lets the process exit while open and idle, also after an aborted long sleep', async () => {
    const moduleUrl = new URL('../../../runtime/executive/precise-clock.ts', import.meta.url).href
    const script = [
      `import { openPreciseClock } from ${JSON.stringify(moduleUrl)}`,
      'const clock = await openPreciseClock()',
      'await clock.sleep(2)',
      'const controller = new AbortController()',
      'const long = clock.sleep(60_000, controller.signal).catch(() => undefined)',
      'controller.abort()',
      'await long',
      "console.log('idle')",
    ].join('\n')
    const startMs = performance.now()
    const { code, stdout, stderr } = await runNode(['--import', 'tsx', '--input-type=module', '-e', script], 15_000)
    const tookMs = performance.now() - startMs
    assert.equal(code, 0, stderr)
    assert.match(stdout, /idle/)
    assert.ok(tookMs < 10_000, `the child took ${tookMs} ms to exit`)
  })
})

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** Runs node with `args`; kills it after `limitMs` so a child that hangs fails the test instead of the run. */
function runNode(args: string[], limitMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT, // where --import tsx resolves
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: limitMs,
      killSignal: 'SIGKILL',
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', code => resolve({ code, stdout, stderr }))
  })
}
