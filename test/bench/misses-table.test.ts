import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { executionUtilization, loadMissesTable } from '../../bench/misses-table.ts'

describe('the deadline-miss benchmark table', () => {
  for (const policy of ['edf', 'priority'] as const) {
    it(`is admitted under ${policy}, as edgert plan analyses it`, async () => {
      const config = await loadMissesTable(policy)
      assert.equal(config.settings.policy, policy)
      assert.equal(config.admission.feasible, true, config.admission.problems.join('; '))
    })
  }

  it('busy-waits 0.70 of a core in all, at 1, 2, 5, 10 and 20 ms', async () => {
    const config = await loadMissesTable('edf')
    assert.ok(Math.abs(executionUtilization(config) - 0.7) < 1e-9)
    assert.deepEqual(config.table.tasks.map(task => task.periodMs), [1, 2, 5, 10, 20])
  })

  it('gives rate-monotonic priorities: the shorter the period, the higher', async () => {
    const { table } = await loadMissesTable('priority')
    const priorities = table.tasks.map(task => task.priority)
    assert.deepEqual(priorities, [...priorities].sort((a, b) => b - a))
  })
})
