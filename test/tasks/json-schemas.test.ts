import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { jsonSchemas } from '../../tasks/json-schemas.ts'

describe('shipped JSON Schemas', () => {
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    it(`schema/${name} matches the zod schema (npm run schemas regenerates it)`, () => {
      assert.deepEqual(JSON.parse(readFileSync(join('schema', name), 'utf8')), schema)
    })
  }

  it('describes fields with defaults as optional input', () => {
    const schema = jsonSchemas()['task-table.schema.json'] as { properties: { scheduling: { required?: string[] } } }
    assert.deepEqual(schema.properties.scheduling.required, ['policy'])
  })
})
