import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { loadConfig } from '../../runtime/config/load.ts'

describe('example task tables', () => {
  const files = ['tasks', 'tasks/tables'].flatMap(dir => readdirSync(dir).filter(name => name.endsWith('.json')).map(name => join(dir, name)))
  it('there are example tables, the two alarm examples among them', () => {
    assert.ok(files.includes('tasks/vehicle-braking.json') && files.includes('tasks/patient-vitals.json'), files.join(', '))
  })
  for (const name of files) {
    it(`${name} validates, binds against the sim board and is schedulable`, async () => {
      const config = await loadConfig('sim', name)
      assert.equal(config.admission.feasible, true, config.admission.problems.join('\n'))
    })
  }
})
