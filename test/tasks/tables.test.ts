import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { loadConfig } from '../../runtime/config/load.ts'

describe('example task tables', () => {
  const files = readdirSync('tasks/tables').filter(name => name.endsWith('.json'))
  it('there are example tables', () => assert.ok(files.length > 0))
  for (const name of files) {
    it(`${name} validates, binds against the sim board and is schedulable`, async () => {
      const config = await loadConfig('sim', join('tasks/tables', name))
      assert.equal(config.admission.feasible, true, config.admission.problems.join('\n'))
    })
  }
})
