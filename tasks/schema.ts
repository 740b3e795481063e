import * as z from 'zod'
import { readingStages } from './alarm-schema.ts'
import { MISS_POLICIES, POLICIES } from './vocabulary.ts'

/** A positive duration in ms. */
const ms = z.number().positive().finite()

const resource = z.strictObject({
  name: z.string().min(1).describe("a bus of the board: an i2c or serial name, e.g. 'main'"),
  holdMs: z.number().nonnegative().finite().describe('longest time one job holds it in one go'),
})

/** Timing and behaviour every task has, whatever it does. */
const common = {
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lowercase letters, digits and -, starting with a letter'),
  periodMs: ms.describe('period; for a task released by an event, the minimum time between two releases'),
  offsetMs: z.number().nonnegative().finite().default(0),
  deadlineMs: ms.optional().describe('relative deadline; defaults to periodMs'),
  budgetMs: ms.describe('declared worst-case execution time'),
  nonPreemptiveMs: ms.optional().describe('longest stretch between two dispatch points; defaults to budgetMs'),
  priority: z.number().int().min(0).max(99).default(0),
  onMiss: z.enum(MISS_POLICIES).default('continue'),
  critical: z
    .boolean()
    .optional()
    .describe('under systemd the watchdog is pinged only while every critical task is released and meets its deadlines; default: true for a task whose alarms drive outputs or whose onMiss is safe-state'),
  restart: z.strictObject({ initialMs: z.number().nonnegative().finite(), maxMs: z.number().nonnegative().finite() }).optional(),
  resources: z.array(resource).default([]),
  release: z
    .strictObject({ gpio: z.string().min(1), edge: z.enum(['rising', 'falling', 'both']) })
    .optional()
    .describe('release on a GPIO edge (a sporadic task) instead of periodically'),
  notes: z.string().optional(),
}

/**
 * `synthetic`: holds the processor for `computeMs` per job (optionally in chunks with a
 * dispatch point between them): a stand-in for work, for demos and for sizing a schedule.
 */
const SyntheticTask = z.strictObject({
  ...common,
  kind: z.literal('synthetic'),
  computeMs: z.number().nonnegative().finite(),
  chunkMs: ms.optional().describe('yield to the scheduler after each chunk of this length'),
})

/**
 * `sample`: each job takes one measurement from a board device (an I2C chip or a serial sensor)
 * through its driver, and hands the reading on: through the channels' filters and derived channels
 * into its alarms (whose actions drive outputs in the same job), then to the live view and
 * --record. The device's bus is arbitrated in the scheduler's policy order.
 */
const SampleTask = z.strictObject({
  ...common,
  kind: z.literal('sample'),
  device: z.string().min(1).describe('a device of the board (an i2c device or a serial line with a chip)'),
  channels: z.array(z.string().min(1)).min(1).optional().describe("the reading fields to keep, e.g. ['distanceM']; default: every channel of the chip"),
  maxAgeMs: ms.optional().describe('a reading older than this when it is used is stale; default: the deadline'),
  ...readingStages,
})

export const TaskSpec = z.discriminatedUnion('kind', [SyntheticTask, SampleTask])
export type TaskSpec = z.infer<typeof TaskSpec>

export const TaskTable = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1),
  description: z.string().optional(),
  scheduling: z
    .strictObject({
      policy: z.enum(POLICIES),
      quantumMs: ms.default(1),
      admission: z.enum(['refuse', 'warn']).default('refuse'),
    })
    .describe('fifo | rr | priority | edf; see docs/scheduling.md'),
  tasks: z.array(TaskSpec).min(1),
})
export type TaskTable = z.infer<typeof TaskTable>
