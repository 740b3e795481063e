import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError } from '../../../runtime/config/config-error.ts'
import { loadConfig } from '../../../runtime/config/load.ts'
import { tempDir } from '../../helpers/temp-files.ts'

const { write } = tempDir()

const table = (tasks: unknown[], scheduling: Record<string, unknown> = { policy: 'edf' }) => ({ version: 1, scheduling, tasks })
const task = (extra: Record<string, unknown> = {}) => ({ id: 'sampler', kind: 'synthetic', periodMs: 10, budgetMs: 1, computeMs: 0.5, ...extra })

async function problems(file: string, board = 'sim'): Promise<string[]> {
  try {
    await loadConfig(board, file)
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error))
    return error.issues.map(issue => `${issue.path}: ${issue.message}`)
  }
  assert.fail('expected a ConfigError')
}

describe('loadConfig', () => {
  it('loads a valid table with defaults filled in', async () => {
    const config = await loadConfig('sim', write('ok.json', table([task()])))
    assert.equal(config.board.id, 'sim')
    assert.equal(config.settings.policy, 'edf')
    assert.equal(config.settings.admission, 'refuse')
    assert.deepEqual(config.timings[0], { id: 'sampler', kind: 'periodic', periodMs: 10, offsetMs: 0, deadlineMs: 10, budgetMs: 1, priority: 0, nonPreemptiveMs: 1, resources: [] })
    assert.equal(config.admission.feasible, true)
  })

  it('reports every schema problem at once, each with its JSON path', async () => {
    const found = await problems(write('bad.json', table([task({ periodMs: -5 }), task({ id: 'Bad Id', onMiss: 'explode' })], { policy: 'lottery' })))
    assert.ok(found.some(p => p.startsWith('scheduling.policy: ')), found.join('\n'))
    assert.ok(found.some(p => p.startsWith('tasks[0].periodMs: ')), found.join('\n'))
    assert.ok(found.some(p => p.startsWith('tasks[1].id: must be lowercase')), found.join('\n'))
    assert.ok(found.some(p => p.startsWith('tasks[1].onMiss: ')), found.join('\n'))
  })

  it('names unknown keys and suggests the likely one', async () => {
    const found = await problems(write('typo.json', table([task({ priorty: 3 })])))
    assert.deepEqual(found, ['tasks[0]: unknown key "priorty" (did you mean "priority"?)'])
  })

  it('binds names against the board and checks fields that must agree', async () => {
    const found = await problems(
      write('bind.json', table([
        task({ deadlineMs: 20 }),
        task({ id: 'b', computeMs: 3, resources: [{ name: 'spi0', holdMs: 1 }] }),
        task({ id: 'b', release: { gpio: 'brake', edge: 'rising' } }),
        task({ id: 'c', release: { gpio: 'nothing', edge: 'rising' } }),
      ])),
    )
    assert.deepEqual(found, [
      'tasks[0].deadlineMs: must not exceed periodMs (10)',
      'tasks[1].computeMs: 3 ms exceeds the declared budgetMs (1): every job would overrun',
      "tasks[1].resources[0].name: board 'sim' has no bus \"spi0\" (it has: main, lidar)",
      'tasks[2].id: "b" is already the id of tasks[1]',
      "tasks[2].release.gpio: \"brake\" is an output on board 'sim'; a release needs an input",
      "tasks[3].release.gpio: board 'sim' has no GPIO \"nothing\" (it has: statusLed, brake, buzzer, button, pulseIrq)",
    ])
  })

  it('refuses an infeasible table, naming the task that misses', async () => {
    // Non-preemptive: 'slow' (9 ms, no yield) can block 'fast' (deadline 2 ms) for 9 ms.
    const file = write('infeasible.json', table([task({ id: 'fast', periodMs: 10, deadlineMs: 2, budgetMs: 1 }), task({ id: 'slow', periodMs: 100, budgetMs: 9, computeMs: 9 })], { policy: 'priority' }))
    const found = await problems(file)
    assert.match(found[0]!, /^tasks\[0\]: 'fast' is not schedulable under priority: /)
    assert.equal(found.at(-1), 'scheduling.admission: the table was refused by the admission test; fix the timing, or set "admission": "warn" to run it anyway')
  })

  it('lets an infeasible table through with "admission": "warn", with the analysis attached', async () => {
    const file = write('warn.json', table([task({ id: 'fast', periodMs: 10, deadlineMs: 2 }), task({ id: 'slow', periodMs: 100, budgetMs: 9, computeMs: 9 })], { policy: 'priority', admission: 'warn' }))
    const config = await loadConfig('sim', file)
    assert.equal(config.admission.feasible, false)
  })

  it('reports JSON syntax errors with a line and column, and missing files plainly', async () => {
    const found = await problems(write('syntax.json', '{\n  "version": 1,\n  "tasks": [,]\n}'))
    assert.equal(found.length, 1)
    assert.match(found[0]!, /^\(file\): not valid JSON: .* at line 3, column 13$/)
    assert.deepEqual(await problems('/nonexistent/tasks.json'), ['(file): cannot read it: no such file'])
  })

  it('reports board and table problems together', async () => {
    const found = await problems('/nonexistent/tasks.json', 'no-such-board')
    assert.equal(found.length, 2)
    assert.match(found[0]!, /^\(board\): no built-in board "no-such-board" \(built-in: .*raspberry-pi-4b.*sim/)
  })
})
