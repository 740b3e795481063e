/**
 * Scheduling vocabulary shared by the pure planning code, the admission analysis and the loop.
 * ARCHITECTURE.md, "Scheduling model", gives the meaning of each policy.
 */

import { MISS_POLICIES, POLICIES } from '../../tasks/vocabulary.ts'

export { MISS_POLICIES, POLICIES }

/** Dispatch order among ready jobs. */
export type Policy = (typeof POLICIES)[number]

/**
 * What happens when a job misses its deadline or overruns its declared budget.
 * - `continue`: the job runs on; the release that falls due meanwhile is made when it ends (late,
 *   and measured as such); if more than one falls due, only the latest is kept, the others count
 *   as skipped.
 * - `skip-next`: as `continue`, but the next release after the late job is skipped, so the
 *   system can catch up.
 * - `abort`: at the deadline the job's AbortSignal fires; its next wait rejects with the reason.
 * - `safe-state`: the task's safe-state hook runs at once (the actuator layer puts the outputs the
 *   task guards into their declared safe level); the job runs on.
 */
export type MissPolicy = (typeof MISS_POLICIES)[number]

/** A shared resource (an I2C bus, a serial line) a task uses, and the longest it holds it. */
export interface ResourceUse {
  readonly name: string
  /** Longest time one job holds the resource in one go, in ms (a multi-transaction sequence). */
  readonly holdMs: number
}

/** The timing parameters of one task: everything the admission analysis needs. */
export interface TaskTiming {
  readonly id: string
  /** `periodic`: released every periodMs from offsetMs. `sporadic`: released by an event, at most once per periodMs. */
  readonly kind: 'periodic' | 'sporadic'
  /** Period, or for sporadic tasks the minimum inter-arrival time, in ms. > 0. */
  readonly periodMs: number
  /** First release, relative to the scheduler's start, in ms (periodic tasks). >= 0. */
  readonly offsetMs: number
  /** Relative deadline in ms, 0 < deadlineMs. Defaults to periodMs where tables leave it out. */
  readonly deadlineMs: number
  /** Declared worst-case execution time: the time a job holds the processor in total, in ms. */
  readonly budgetMs: number
  /** 0..99; larger is more urgent. Used by `priority` and `rr` (levels), ignored by `fifo` and `edf`. */
  readonly priority: number
  /**
   * Longest stretch a job holds the processor between two dispatch points (ctx.yield(), a
   * resource wait, a scheduler-aware sleep), in ms. Defaults to budgetMs: a job that never
   * yields blocks everything else for its whole execution (non-preemptive).
   */
  readonly nonPreemptiveMs: number
  readonly resources: readonly ResourceUse[]
}

/** Per-table scheduling settings. */
export interface SchedulingSettings {
  readonly policy: Policy
  /** Round-robin quantum in ms (`rr` only): a job that has held the processor this long goes to the back of its level at its next dispatch point. */
  readonly quantumMs: number
  /** `refuse` (default): an infeasible table does not start. `warn`: it starts and the analysis is reported. */
  readonly admission: 'refuse' | 'warn'
}
