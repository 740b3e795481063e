import assert from 'node:assert/strict'
import { spawn, spawnSync } from 'node:child_process'
import { describe, it } from 'node:test'
import { tempDir } from '../helpers/temp-files.ts'

// The CLI as a user runs it: a child process, its output and its exit code (0 ok, 1 runtime
// failure, 2 bad input). Error output must never be a stack trace.
const { write } = tempDir()
const edgert = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'runtime/cli/main.ts', ...args], { encoding: 'utf8', timeout: 60_000 })
const DEMO = 'tasks/tables/scheduler-demo.json'
const noStack = (text: string) => assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, text)

describe('edgert CLI', () => {
  it('a reader that has gone away (edgert boards | head -1) ends it quietly with exit 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'runtime/cli/main.ts', 'boards'], { stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.destroy() // the reader is gone before the first write: every write fails with EPIPE
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const code = await new Promise<number | null>(resolve => child.on('exit', resolve))
    assert.equal(code, 0, stderr)
    assert.doesNotMatch(stderr, /EPIPE|uncaught/)
  })

  it('plan --json prints the analysis with the documented keys', () => {
    const result = edgert('plan', '--board', 'sim', '--tasks', DEMO, '--json')
    assert.equal(result.status, 0, result.stderr)
    const plan = JSON.parse(result.stdout) as Record<string, unknown> & { tasks: Record<string, unknown>[] }
    assert.deepEqual(Object.keys(plan).slice(0, 3), ['policy', 'utilization', 'feasible'])
    assert.equal(plan.policy, 'edf')
    assert.equal(plan.feasible, true)
    for (const key of ['id', 'periodMs', 'deadlineMs', 'budgetMs', 'responseTimeMs']) assert.ok(key in plan.tasks[0]!, key)
  })

  it('plan explains an infeasible table and exits 2; with "admission": "warn" it exits 0', () => {
    const tasks = [
      { id: 'fast', kind: 'synthetic', periodMs: 10, deadlineMs: 2, budgetMs: 1, computeMs: 0.5, priority: 9 },
      { id: 'slow', kind: 'synthetic', periodMs: 100, budgetMs: 9, computeMs: 9, priority: 1 },
    ]
    const refused = edgert('plan', '--board', 'sim', '--tasks', write('bad.json', { version: 1, scheduling: { policy: 'priority' }, tasks }))
    assert.equal(refused.status, 2)
    assert.match(refused.stdout, /NOT feasible \(run refuses it\)/)
    assert.match(refused.stdout, /fast.*MISSES/)
    const warned = edgert('plan', '--board', 'sim', '--tasks', write('warn.json', { version: 1, scheduling: { policy: 'priority', admission: 'warn' }, tasks }))
    assert.equal(warned.status, 0)
  })

  it('validate reports config problems with paths, exit 2, and no stack trace', () => {
    const result = edgert('validate', '--board', 'sim', '--tasks', write('typo.json', { version: 1, scheduling: { policy: 'edf' }, tasks: [{ id: 'a', kind: 'synthetic', periodMs: 10, budgetMs: 1, computeMs: 0.1, perodMs: 3 }] }))
    assert.equal(result.status, 2)
    assert.match(result.stderr, /typo\.json: tasks\[0\]: unknown key "perodMs" \(did you mean "periodMs"\?\)/)
    noStack(result.stderr)
  })

  it('usage errors exit 2', () => {
    const missing = edgert('plan', '--board', 'sim')
    assert.equal(missing.status, 2)
    assert.match(missing.stderr, /required option '--tasks <file>'/)
    const unknownBoard = edgert('run', '--board', 'pi-9', '--tasks', DEMO, '--duration', '1')
    assert.equal(unknownBoard.status, 2)
    assert.match(unknownBoard.stderr, /no built-in board "pi-9"/)
    noStack(unknownBoard.stderr)
    assert.equal(edgert('run', '--board', 'sim', '--tasks', DEMO, '--duration', '-1').status, 2)
  })

  it('run executes the demo for its duration and prints the per-task summary', () => {
    const result = edgert('run', '--board', 'sim', '--tasks', DEMO, '--duration', '1.5', '--quiet')
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stderr, /running 4 task\(s\)/)
    assert.match(result.stderr, /scheduler on the rt thread/)
    const summary = result.stdout.split('\n')
    const distance = summary.find(line => line.startsWith('distance'))
    assert.ok(distance !== undefined, result.stdout)
    const released = Number(distance.split(/\s+/)[1])
    assert.ok(released >= 100 && released <= 160, `distance released ${released} times in ~1.5 s at 100 Hz`)
  })

  it('run --thread main runs the scheduler on the main thread', () => {
    const result = edgert('run', '--board', 'sim', '--tasks', DEMO, '--duration', '0.5', '--quiet', '--thread', 'main')
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stderr, /scheduler on the main thread/)
  })

  it('boards lists the built-in boards with their wiring', () => {
    const result = edgert('boards')
    assert.equal(result.status, 0)
    assert.match(result.stdout, /^raspberry-pi-4b \(linux\)/m)
    assert.match(result.stdout, /button\s+gpio\s+BCM 27, header pin 13\s+in/)
  })
})
