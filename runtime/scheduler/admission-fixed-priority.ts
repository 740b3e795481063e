/**
 * Response-time bounds for the `priority`, `rr` and `fifo` policies on the one JS thread: jobs
 * run in non-preemptive chunks between dispatch points (ARCHITECTURE.md, "Scheduling model").
 * Pure: no clock, no I/O.
 *
 * Every bound here holds for the queued sporadic model of the cited papers (each release makes a
 * job that waits behind its task's previous job, releases at least periodMs apart). The runtime
 * skips or holds back a release while the previous job is active; that only removes jobs or
 * delays them as the queued model does, so the bounds hold for it too.
 */
import { blockingBy, isChunked, resourcesOf, type Blocking } from './admission-blocking.ts'
import { busyPeriodLimitMs, ceilRatio, floorRatio, formatUtilization, leastFixedPoint, newStepBudget, TOLERANCE_MS, type Bound } from './admission-math.ts'
import type { TaskTiming } from './types.ts'

/** What an analysis found for one task: its blocking term and its response-time bound. */
export interface TaskBound {
  readonly blocking: Blocking
  readonly response: Bound
}

/**
 * `priority` (FIFO among equals) and `rr` (round robin within a level): a task is interfered with
 * by every other task of its priority or higher, and blocked once by the lower ones. Counting
 * the equal-priority tasks as higher is sound whatever order they take among themselves, so the
 * rr quantum cannot loosen the bound.
 */
export function analyseFixedPriority(tasks: readonly TaskTiming[]): TaskBound[] {
  const limitMs = busyPeriodLimitMs(tasks.map(task => task.periodMs))
  return tasks.map((task, index) => {
    const others = tasks.filter((_, other) => other !== index)
    const lower = others.filter(other => other.priority < task.priority)
    const blocking = blockingBy(lower, resourcesOf([task]), true)
    const interferers = others.filter(other => other.priority >= task.priority)
    return { blocking, response: fixedPriorityResponse(task, interferers, blocking.totalMs, limitMs) }
  })
}

/**
 * Non-preemptive FIFO (dispatch by release time). Two bounds:
 * - When every task's Σ(all budgets) + its resource blocking fits in its own period, no task ever
 *   has a job still active at its next release (induction over time), so a job waits for at most
 *   one job of each other task: R_i = Σ_j C_j + B_i. That is exact without resources (all
 *   released together, i last in table order).
 * - Otherwise each task is analysed as the lowest of fixed priorities, everyone else above it,
 *   with no chunk blocking. Sound because FIFO never runs a job released after i's job ahead of
 *   it, and the level busy period then starts at an idle instant, so the processor works only
 *   on jobs that the fixed-priority recurrence counts (those released up to i's start).
 */
export function analyseFifo(tasks: readonly TaskTiming[]): TaskBound[] {
  const totalBudgetMs = tasks.reduce((sum, task) => sum + task.budgetMs, 0)
  const blockings = tasks.map((task, index) => blockingBy(tasks.filter((_, other) => other !== index), resourcesOf([task]), false))
  const blockingAt = (index: number): Blocking => blockings[index] ?? { totalMs: 0, parts: [] }
  const oneJobEach = tasks.every((task, index) => totalBudgetMs + blockingAt(index).totalMs <= task.periodMs + TOLERANCE_MS)
  if (oneJobEach) return tasks.map((_, index) => ({ blocking: blockingAt(index), response: { ok: true, ms: totalBudgetMs + blockingAt(index).totalMs } }))
  const limitMs = busyPeriodLimitMs(tasks.map(task => task.periodMs))
  return tasks.map((task, index) => {
    const others = tasks.filter((_, other) => other !== index)
    return { blocking: blockingAt(index), response: fixedPriorityResponse(task, others, blockingAt(index).totalMs, limitMs) }
  })
}

/**
 * Worst-case response time of `task` under fixed-priority non-preemptive dispatching, with
 * `interferers` ranked above it and blocking B (Davis, Burns, Bril & Lukkien, "Controller Area
 * Network (CAN) schedulability analysis: Refuted, revisited and revised", Real-Time Systems
 * 35(3), 2007; their τ_bit → 0, as times here are continuous):
 *
 *   level busy period  t = B + Σ_{j ∈ hep} ⌈t / T_j⌉ C_j,   Q = ⌈t / T_i⌉ jobs in it
 *   start of job q     w = B + q C_i + Σ_{j ∈ hp} (⌊w / T_j⌋ + 1) C_j
 *   response           R = max_q (w + C_i − q T_i)
 *
 * The +1 counts a higher job released exactly at the start instant: it is ready at that
 * dispatch point and goes first. Checking every q is the paper's correction: the original
 * analysis looked at q = 0 only and missed later jobs of the busy period.
 *
 * A task that yields (nonPreemptiveMs < budgetMs) can be overtaken at its dispatch points, so
 * the fully non-preemptive bound above would NOT hold for it (a long higher job released during
 * its first chunk runs before its last one). It is bounded instead as a task with deferred
 * preemption (Bril, Lukkien & Verhaegh, "Worst-case response time analysis of real-time tasks
 * under fixed-priority scheduling with deferred preemption", Real-Time Systems 42, 2009) whose
 * final chunk F may be arbitrarily short, since nothing bounds it from below:
 *   x = B + (q + 1) C_i + Σ_{j ∈ hp} ⌈x / T_j⌉ C_j,   R = max_q (x − q T_i)
 * which is their recurrence (start of the final chunk w = x − F) in the limit F → 0; the least
 * fixed point of that recurrence is non-increasing in F, so the limit bounds every F.
 */
export function fixedPriorityResponse(task: TaskTiming, interferers: readonly TaskTiming[], blockingMs: number, limitMs: number): Bound {
  const level = [task, ...interferers]
  const utilization = level.reduce((sum, other) => sum + other.budgetMs / other.periodMs, 0)
  // Σ⌈t/T⌉C >= U·t, so with U > 1, or U = 1 and B > 0, the busy period has no fixed point.
  if (utilization > 1 + 1e-12 || (utilization >= 1 - 1e-12 && blockingMs > TOLERANCE_MS)) {
    return { ok: false, why: `the utilization of it and the tasks ranked with or above it is ${formatUtilization(utilization)}${utilization <= 1 + 1e-12 ? ' with blocking' : ''}, so its busy period never ends` }
  }
  const budget = newStepBudget()
  const costMs = task.budgetMs
  const periodMs = task.periodMs
  const busy = leastFixedPoint(t => blockingMs + level.reduce((sum, j) => sum + ceilRatio(t, j.periodMs) * j.budgetMs, 0), blockingMs + costMs, limitMs, budget)
  if (!busy.ok) return busy
  const jobs = Math.max(1, ceilRatio(busy.ms, periodMs))
  const chunked = isChunked(task)
  let worstMs = 0
  let fromMs = chunked ? blockingMs + costMs : blockingMs
  for (let q = 0; q < jobs; q++) {
    const point = chunked
      ? leastFixedPoint(x => blockingMs + (q + 1) * costMs + interferers.reduce((sum, j) => sum + ceilRatio(x, j.periodMs) * j.budgetMs, 0), fromMs, limitMs, budget)
      : leastFixedPoint(w => blockingMs + q * costMs + interferers.reduce((sum, j) => sum + (floorRatio(w, j.periodMs) + 1) * j.budgetMs, 0), fromMs, limitMs, budget)
    if (!point.ok) return point
    worstMs = Math.max(worstMs, (chunked ? point.ms : point.ms + costMs) - q * periodMs)
    // The next job's fixed point is at least this one plus C_i, so iterate from there.
    fromMs = point.ms + costMs
  }
  return { ok: true, ms: worstMs }
}
