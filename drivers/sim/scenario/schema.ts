import * as z from 'zod'
import type { FaultSpec } from './fault.ts'
import { timelineProblems } from './timeline.ts'
import {
  EnvironmentEventName,
  EnvironmentInitialSchema,
  EnvironmentSet,
  PatientEventName,
  PatientInitialSchema,
  PatientSet,
  VehicleEventName,
  VehicleInitialSchema,
  VehicleSet,
} from './world-schemas.ts'

/**
 * A scenario is a JSON timeline acting on one world model and on the board's fault controls
 * (STYLE.md §4: simulation knobs live in scenarios, not in board files):
 *
 *   { "version": 1, "world": "vehicle", "initial": {…}, "durationS": 20,
 *     "events": [ { "atS": 2.5, "set": {…}, "event": "…", "fault": { "device": "lidar", "kind": "disconnect" } } ] }
 *
 * Times are seconds from the start of the run and must not decrease.
 */

const deviceName = z.string().regex(/^[a-z][a-zA-Z0-9-]*$/, 'must be a board device name: a lowercase letter, then letters, digits and -')

export const Fault = z.discriminatedUnion('kind', [
  z.strictObject({ device: deviceName, kind: z.enum(['nack', 'timeout', 'bus']), count: z.number().int().positive().max(1_000_000).default(1) }),
  z.strictObject({
    device: deviceName,
    kind: z.literal('stuck'),
    value: z.number().int().min(0).max(0xff).default(0xff).describe('the byte every read returns; default 0xFF (SDA pulled up, nobody driving it)'),
  }),
  z.strictObject({ device: deviceName, kind: z.enum(['lock-up', 'disconnect', 'clear']) }),
]) satisfies z.ZodType<FaultSpec>

const atS = z.number().nonnegative().max(1e9).describe('seconds from the start of the run')

function timelineEntry<S extends z.ZodType, E extends z.ZodType>(set: S, event: E) {
  return z
    .strictObject({ atS, set: set.optional(), event: event.optional(), fault: Fault.optional(), notes: z.string().optional() })
    .refine(entry => entry.set !== undefined || entry.event !== undefined || entry.fault !== undefined, { message: 'needs at least one of "set", "event" or "fault"' })
}

function scenarioFor<W extends string, I extends z.ZodType, S extends z.ZodType, E extends z.ZodType>(world: W, initial: I, set: S, event: E) {
  return z
    .strictObject({
      $schema: z.string().optional(),
      version: z.literal(1),
      description: z.string().optional(),
      world: z.literal(world),
      initial: initial.optional(),
      events: z.array(timelineEntry(set, event)).default([]),
      durationS: z.number().positive().max(1e9).optional().describe('ends the run; without it, the run lasts until it is stopped'),
    })
    .superRefine((scenario, ctx) => {
      for (const { index, message } of timelineProblems(scenario.events, scenario.durationS)) ctx.addIssue({ code: 'custom', path: ['events', index, 'atS'], message })
    })
}

export const VehicleScenario = scenarioFor('vehicle', VehicleInitialSchema, VehicleSet, VehicleEventName)
export const PatientScenario = scenarioFor('patient', PatientInitialSchema, PatientSet, PatientEventName)
export const EnvironmentScenario = scenarioFor('environment', EnvironmentInitialSchema, EnvironmentSet, EnvironmentEventName)

export const WORLDS = ['vehicle', 'patient', 'environment'] as const
export const Scenario = z.discriminatedUnion('world', [VehicleScenario, PatientScenario, EnvironmentScenario])
export type Scenario = z.infer<typeof Scenario>
export type VehicleScenario = z.infer<typeof VehicleScenario>
export type PatientScenario = z.infer<typeof PatientScenario>
export type EnvironmentScenario = z.infer<typeof EnvironmentScenario>
export type TimelineEntry = Scenario['events'][number]

/**
 * The world-independent part of a scenario, used to report the rest of a file's problems when
 * its "world" is not one of WORLDS (the union cannot tell which world's fields to check).
 */
export const ScenarioEnvelope = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1),
  description: z.string().optional(),
  world: z.string(),
  initial: z.record(z.string(), z.unknown()).optional(),
  events: z.array(timelineEntry(z.record(z.string(), z.unknown()), z.string())).default([]),
  durationS: z.number().positive().max(1e9).optional(),
})
