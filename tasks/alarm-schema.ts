import * as z from 'zod'
import { ALARM_SEVERITIES, TECHNICAL_KINDS } from './vocabulary.ts'

/**
 * What a sample task does with its readings, in the table (docs/alarms.md): per-channel filters,
 * derived channels, and alarms with their actions. Evaluated in the job that took the sample.
 */

const finite = z.number().finite()
const positiveMs = z.number().positive().finite()
const count = z.number().int().min(1)

/** A channel of this task ('distanceM', a derived 'timeToCollisionS'), or of another: 'lidar.distanceM'. */
const channelRef = z.string().regex(/^([a-z][a-z0-9-]*\.)?[a-zA-Z][a-zA-Z0-9]*$/, "must be a channel name ('distanceM') or task.channel ('lidar.distanceM')")

export const FilterSpec = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('median'), samples: z.number().int().min(2).max(101).describe('window length; the median of the newest n values') }),
  z.strictObject({ type: z.literal('moving-average'), samples: z.number().int().min(2).max(1000).describe('the mean of the newest n values') }),
  z.strictObject({
    type: z.literal('exponential'),
    alpha: z.number().gt(0).max(1).optional().describe('weight of the new value per sample'),
    timeConstantMs: positiveMs.optional().describe('or: time constant, for samples that are not evenly spaced'),
  }),
  z.strictObject({
    type: z.literal('deadband'),
    absolute: z.number().positive().finite().optional().describe('report a change only when it is at least this big, in the unit of the channel'),
    percent: z.number().positive().finite().optional().describe('or: at least this % of the last reported value'),
  }),
  z.strictObject({ type: z.literal('throttle'), minIntervalMs: positiveMs.describe('report at most once per interval') }),
  z.strictObject({ type: z.literal('heartbeat'), maxIntervalMs: positiveMs.describe('report at least once per interval, whatever an earlier filter decided') }),
  z.strictObject({ type: z.literal('clamp'), min: finite.optional(), max: finite.optional() }),
  z.strictObject({ type: z.literal('scale'), factor: finite }),
  z.strictObject({ type: z.literal('offset'), by: finite }),
  z.strictObject({ type: z.literal('rate'), notes: z.string().optional() }).describe('the value becomes its rate of change per second'),
])
export type FilterSpec = z.infer<typeof FilterSpec>

/** What a channel of the task's device goes through before alarms and telemetry see it. */
export const ChannelSpec = z.strictObject({
  filters: z.array(FilterSpec).default([]),
  faultAs: z
    .strictObject({
      reasons: z.array(z.string().min(1)).min(1).describe("the reading's fault reasons this covers, e.g. ['signal-low']"),
      value: finite.describe('the value to use instead, as a good reading'),
      notes: z.string().optional(),
    })
    .optional()
    .describe("a fault that means a value: a ranging sensor's 'no return' is 'nothing within range'"),
})
export type ChannelSpec = z.infer<typeof ChannelSpec>

export const DerivedSpec = z.discriminatedUnion('op', [
  z.strictObject({
    name: z.string().regex(/^[a-z][a-zA-Z0-9]*$/),
    op: z.literal('closing-speed'),
    distance: channelRef.describe('a distance channel, m'),
    samples: z.number().int().min(2).max(100).default(4).describe('least-squares slope over the newest n samples'),
    filters: z.array(FilterSpec).default([]),
  }),
  z.strictObject({
    name: z.string().regex(/^[a-z][a-zA-Z0-9]*$/),
    op: z.literal('time-to-collision'),
    distance: channelRef,
    closingSpeed: channelRef,
    minClosingSpeedMps: z.number().positive().finite().default(0.05).describe('slower than this is not closing: time-to-collision is infinite'),
    filters: z.array(FilterSpec).default([]),
  }),
])
export type DerivedSpec = z.infer<typeof DerivedSpec>

/** Time qualification: the condition must hold this long, or for this many samples in a row. */
const Delay = z.union([z.strictObject({ ms: z.number().nonnegative().finite() }), z.strictObject({ samples: count })])
export type DelaySpec = z.infer<typeof Delay>

const LevelCondition = z.strictObject({
  channel: channelRef,
  of: z.enum(['value', 'rate']).default('value').describe("'rate': the channel's rate of change per second"),
  setAbove: finite.optional().describe('active while the value is above this …'),
  clearAbove: finite.optional().describe('… until it falls below this (hysteresis); default setAbove'),
  setBelow: finite.optional().describe('active while the value is below this …'),
  clearBelow: finite.optional().describe('… until it rises above this; default setBelow'),
})

const TechnicalCondition = z.strictObject({
  technical: z.array(z.enum(TECHNICAL_KINDS)).min(1).describe("'fault': the value cannot be trusted; 'stale': too old; 'no-data': the sample failed or the channel is absent"),
  channels: z.array(channelRef).min(1).optional().describe("default: every channel of this task's device"),
  reasons: z.array(z.string().min(1)).min(1).optional().describe("only these fault reasons or error kinds, e.g. ['probe-off']"),
})

export type ConditionSpec =
  | z.infer<typeof LevelCondition>
  | z.infer<typeof TechnicalCondition>
  | { readonly all: readonly ConditionSpec[] }
  | { readonly any: readonly ConditionSpec[] }

export const ConditionSpec: z.ZodType<ConditionSpec> = z.lazy(() =>
  z.union([
    LevelCondition,
    TechnicalCondition,
    z.strictObject({ all: z.array(ConditionSpec).min(1) }),
    z.strictObject({ any: z.array(ConditionSpec).min(1) }),
  ]),
)

const Action = z.strictObject({
  output: z.string().min(1).describe('a GPIO output of the board'),
  level: z.union([z.literal(0), z.literal(1)]).default(1).describe('driven while the alarm holds the output'),
  clearLevel: z.union([z.literal(0), z.literal(1)]).optional().describe('driven when no alarm holds it; default the opposite of level'),
  holdUntil: z.enum(['clear', 'acknowledge']).default('clear').describe("'acknowledge': released by an acknowledge too (a buzzer)"),
})
export type ActionSpec = z.infer<typeof Action>

export const AlarmSpec = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be lowercase letters, digits and -, starting with a letter'),
  description: z.string().optional(),
  severity: z.enum(ALARM_SEVERITIES),
  when: ConditionSpec,
  onDelay: Delay.optional().describe('the condition must hold this long before the alarm is raised'),
  offDelay: Delay.optional().describe('and must have gone this long before it clears'),
  latch: z.boolean().default(false).describe('stays held after the condition clears, until reset'),
  shelvable: z.boolean().optional().describe('may be shelved; default: yes, unless it is high severity with actions'),
  failSafe: z
    .union([z.boolean(), z.strictObject({ afterSamples: count })])
    .default(false)
    .describe('when its inputs cannot be trusted for afterSamples evaluations in a row (default 2), its outputs go to their safe level'),
  actions: z.array(Action).default([]),
  adjustable: z
    .partialRecord(z.enum(['setAbove', 'clearAbove', 'setBelow', 'clearBelow']), z.strictObject({ min: finite, max: finite }))
    .optional()
    .describe('thresholds an operator may move by a remote command (set-threshold), each within [min, max]; only for a single level condition'),
  notes: z.string().optional(),
})
export type AlarmSpec = z.infer<typeof AlarmSpec>

/** The fields a sample task adds for its readings (spread into the sample task's schema). */
export const readingStages = {
  processing: z.record(z.string(), ChannelSpec).optional().describe("per channel of the device ('distanceM'): fault substitution, then filters"),
  derived: z.array(DerivedSpec).optional().describe('channels computed from others, after the filters'),
  alarms: z.array(AlarmSpec).optional(),
}
