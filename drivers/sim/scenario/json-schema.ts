import * as z from 'zod'
import { Scenario } from './schema.ts'

/**
 * The JSON Schema for scenario files, for editors ("$schema"), made from the zod schema the
 * loader validates with. It describes the input: fields with defaults are optional. Rules zod
 * checks in code (times that must not decrease, emptyV below fullV) are not in it.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(Scenario, { io: 'input' }), title: 'edgert simulation scenario' }
}
