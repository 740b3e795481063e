import * as z from 'zod'
import { BoardDefinition } from '../boards/schema.ts'
import { scenarioJsonSchema } from '../drivers/sim/scenario/json-schema.ts'
import { TaskTable } from './schema.ts'

/**
 * The JSON Schemas shipped in schema/ for editors ("$schema" in every board and task table), made
 * from the zod schemas the loader validates with, so the two cannot disagree. They describe the
 * input: fields with defaults are optional. scripts/gen-schemas.ts writes them;
 * test/tasks/json-schemas.test.ts fails when a shipped file is out of date.
 */
export function jsonSchemas(): Record<string, unknown> {
  return {
    'task-table.schema.json': { ...z.toJSONSchema(TaskTable, { io: 'input' }), title: 'edgert task table' },
    'board.schema.json': { ...z.toJSONSchema(BoardDefinition, { io: 'input' }), title: 'edgert board' },
    'scenario.schema.json': scenarioJsonSchema(),
  }
}
