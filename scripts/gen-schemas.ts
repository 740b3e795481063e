// Writes schema/*.json from the zod schemas (tasks/json-schemas.ts). Run: npm run schemas
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { jsonSchemas } from '../tasks/json-schemas.ts'

mkdirSync('schema', { recursive: true })
for (const [name, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(join('schema', name), `${JSON.stringify(schema, null, 2)}\n`)
  console.log(`wrote schema/${name}`)
}
