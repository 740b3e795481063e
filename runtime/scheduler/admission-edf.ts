/**
 * Non-preemptive EDF on the one JS thread: the processor-demand feasibility test with the
 * non-preemptive blocking term, and per-task response-time bounds. Pure: no clock, no I/O.
 *
 * Windows start at a synchronous release at 0 (every task released together, then at its
 * maximum rate), with one job whose absolute deadline is later than the window's, so ranked
 * lower, started just before 0. As in admission-fixed-priority.ts, the results hold for the
 * queued sporadic model and so for the runtime's skipped or held-back releases.
 */
import { blockingBy, isChunked, resourcesOf, type Blocking } from './admission-blocking.ts'
import type { TaskBound } from './admission-fixed-priority.ts'
import { busyPeriodLimitMs, ceilRatio, floorRatio, formatUtilization, leastFixedPoint, newStepBudget, TOLERANCE_MS, type Bound, type StepBudget } from './admission-math.ts'
import type { TaskTiming } from './types.ts'

/** Most absolute deadlines the demand test, or one task's response analysis, may examine. */
const MAX_TEST_POINTS = 1_000_000

/** The outcome of the processor-demand test. */
export type DemandVerdict =
  | { readonly kind: 'met' }
  | { readonly kind: 'overloaded' }
  | { readonly kind: 'unknown'; readonly why: string }
  /** At absolute deadline `atMs` the demand plus blocking exceeds the time available. */
  | { readonly kind: 'exceeded'; readonly atMs: number; readonly demandMs: number; readonly blocking: Blocking; readonly taskIds: readonly string[] }

/**
 * Blocking of a window ending at absolute deadline `tMs`: lower-ranked are the tasks whose
 * first deadline is later than tMs (a job of theirs released just before 0 ranks below every job
 * due by tMs); the contested resources are those of the tasks with a job due by tMs (Baruah,
 * "Resource sharing in EDF-scheduled systems: a closer look", RTSS 2006).
 */
export function edfBlocking(tasks: readonly TaskTiming[], tMs: number): Blocking {
  const lower = tasks.filter(task => task.deadlineMs > tMs + TOLERANCE_MS)
  const due = tasks.filter(task => task.deadlineMs <= tMs + TOLERANCE_MS)
  return blockingBy(lower, resourcesOf(due), true)
}

/**
 * edfBlocking as a function of t, memoised: it depends only on which tasks have D <= t, a set
 * fixed by how many do (they are those with the smallest deadlines).
 */
function edfBlockingMemo(tasks: readonly TaskTiming[]): (tMs: number) => Blocking {
  const byCount = new Map<number, Blocking>()
  return tMs => {
    const count = tasks.reduce((n, task) => n + (task.deadlineMs <= tMs + TOLERANCE_MS ? 1 : 0), 0)
    let blocking = byCount.get(count)
    if (blocking === undefined) {
      blocking = edfBlocking(tasks, tMs)
      byCount.set(count, blocking)
    }
    return blocking
  }
}

/** Σ_j max(0, ⌊(t − D_j)/T_j⌋ + 1)·C_j: the work of jobs released at or after 0 and due by t, ms. */
function demandBoundMs(tasks: readonly TaskTiming[], tMs: number): number {
  return tasks.reduce((sum, task) => sum + jobsDueBy(task, tMs) * task.budgetMs, 0)
}

function jobsDueBy(task: TaskTiming, tMs: number): number {
  return tMs + TOLERANCE_MS < task.deadlineMs ? 0 : floorRatio(tMs - task.deadlineMs, task.periodMs) + 1
}

/**
 * Feasible under non-preemptive EDF iff U <= 1 and, at every absolute deadline t,
 *   Σ_j max(0, ⌊(t − D_j)/T_j⌋ + 1)·C_j + B(t) <= t,   B(t) = edfBlocking(t)
 * (George, Rivierre & Spuri, "Preemptive and non-preemptive real-time uniprocessor scheduling",
 * INRIA RR-2966, 1996, with max{C_k − 1 : D_k > t} in discrete time; here times are continuous,
 * so the blocker contributes its whole chunk). With chunks (nonPreemptiveMs < budgetMs) the
 * longest lower chunk replaces C_k: the limited-preemption test of Baruah, "The
 * limited-preemption uniprocessor scheduling of sporadic task systems", ECRTS 2005.
 *
 * Which t to check: B(t) = 0 once t >= max D, and then the condition is the preemptive one,
 * which, if it fails anywhere, fails by the end of the synchronous busy period L0 (Spuri, INRIA
 * RR-2772, 1996) and never beyond Σ_j (T_j − D_j)·U_j / (1 − U) when U < 1 (Baruah, Mok & Rosier,
 * RTSS 1990). So t runs over the deadlines up to max(max D, min of those two).
 */
export function demandTest(tasks: readonly TaskTiming[]): DemandVerdict {
  const utilization = tasks.reduce((sum, task) => sum + task.budgetMs / task.periodMs, 0)
  if (utilization > 1 + 1e-12) return { kind: 'overloaded' }
  const horizon = testHorizonMs(tasks, utilization)
  if (!horizon.ok) return { kind: 'unknown', why: horizon.why }
  const points = absoluteDeadlines(tasks, horizon.ms)
  if (points === null) return { kind: 'unknown', why: `more than ${MAX_TEST_POINTS} deadlines to check` }
  const blockingAt = edfBlockingMemo(tasks)
  for (const tMs of points) {
    const blocking = blockingAt(tMs)
    const demandMs = demandBoundMs(tasks, tMs)
    if (demandMs + blocking.totalMs > tMs + TOLERANCE_MS) {
      const taskIds = tasks.filter(task => tMs + TOLERANCE_MS >= task.deadlineMs && isOnGrid(tMs - task.deadlineMs, task.periodMs)).map(task => task.id)
      return { kind: 'exceeded', atMs: tMs, demandMs, blocking, taskIds }
    }
  }
  return { kind: 'met' }
}

function testHorizonMs(tasks: readonly TaskTiming[], utilization: number): Bound {
  const maxDeadlineMs = Math.max(0, ...tasks.map(task => task.deadlineMs))
  const totalMs = tasks.reduce((sum, task) => sum + task.budgetMs, 0)
  const busy = leastFixedPoint(t => tasks.reduce((sum, task) => sum + ceilRatio(t, task.periodMs) * task.budgetMs, 0), totalMs, busyPeriodLimitMs(tasks.map(task => task.periodMs)), newStepBudget())
  const slackBoundMs = utilization < 1 - 1e-12 ? tasks.reduce((sum, task) => sum + ((task.periodMs - task.deadlineMs) * task.budgetMs) / task.periodMs, 0) / (1 - utilization) : Infinity
  const limitMs = Math.min(busy.ok ? busy.ms : Infinity, slackBoundMs)
  if (!Number.isFinite(limitMs)) return { ok: false, why: busy.ok ? 'the demand test has no horizon' : busy.why }
  return { ok: true, ms: Math.max(maxDeadlineMs, limitMs) }
}

/** Every kT_j + D_j <= horizonMs, ascending, without duplicates; null when there are too many. */
function absoluteDeadlines(tasks: readonly TaskTiming[], horizonMs: number): number[] | null {
  const count = tasks.reduce((sum, task) => sum + jobsDueBy(task, horizonMs), 0)
  if (count > MAX_TEST_POINTS) return null
  const points = tasks.flatMap(task => Array.from({ length: jobsDueBy(task, horizonMs) }, (_, k) => k * task.periodMs + task.deadlineMs))
  return uniqueAscending(points)
}

function uniqueAscending(values: number[]): number[] {
  values.sort((a, b) => a - b)
  return values.filter((value, index) => index === 0 || value - (values[index - 1] ?? -Infinity) > TOLERANCE_MS)
}

function isOnGrid(offsetMs: number, periodMs: number): boolean {
  const ratio = offsetMs / periodMs
  return Math.abs(ratio - Math.round(ratio)) < 1e-9
}

/** Response-time bounds of every task under non-preemptive EDF (see edfResponse). */
export function analyseEdf(tasks: readonly TaskTiming[]): TaskBound[] {
  return tasks.map((task, index) => ({ blocking: edfBlocking(tasks, task.deadlineMs), response: edfResponse(tasks, index) }))
}

/**
 * Worst-case response time of tasks[index] under non-preemptive EDF, after George, Rivierre &
 * Spuri (INRIA RR-2966, 1996), which adapts Spuri's preemptive analysis (INRIA RR-2772, 1996).
 * The job under analysis is released at a >= 0 with absolute deadline d = a + D_i; the other
 * tasks are released together at 0; its own earlier jobs at a − T_i, a − 2T_i, … >= 0; a job
 * with a deadline later than d started just before 0 (blocking B(d)). Its start s solves
 *   s = B(d) + ⌊a/T_i⌋·C_i + Σ_{j≠i} min(⌊s/T_j⌋ + 1, ⌊(d − D_j)/T_j⌋ + 1)·C_j   (terms >= 0)
 * (jobs due by d and released up to s, a tie on d counted against i), and
 * R_i = max over a of max(C_i, s + C_i − a). Between two consecutive values of a in
 * {kT_j + D_j − D_i >= 0} every term of s is constant and s + C_i − a falls, so those values
 * (below the longest busy period L) are the only ones to check.
 *
 * A task that yields is bounded as in admission-fixed-priority.ts with an arbitrarily short final
 * chunk: x = B(d) + (⌊a/T_i⌋ + 1)·C_i + Σ_{j≠i} min(⌈x/T_j⌉, ⌊(d − D_j)/T_j⌋ + 1)·C_j,
 * R_i = max over a of max(C_i, x − a), Spuri's preemptive form with the blocking term.
 */
export function edfResponse(tasks: readonly TaskTiming[], index: number): Bound {
  const task = tasks[index]
  if (task === undefined) throw new RangeError(`no task at index ${index}`)
  const others = tasks.filter((_, other) => other !== index)
  const budget = newStepBudget()
  const busy = longestBusyPeriod(tasks, others, budget)
  if (!busy.ok) return busy
  const releases = candidateReleases(tasks, task, busy.ms)
  if (releases === null) return { ok: false, why: `more than ${MAX_TEST_POINTS} release instants to check` }
  let worstMs = task.budgetMs
  const blockingAt = edfBlockingMemo(tasks)
  let previous = { blockingMs: NaN, pointMs: 0 }
  for (const aMs of releases) {
    const blockingMs = blockingAt(aMs + task.deadlineMs).totalMs
    // As a grows every term of the recurrence grows except B(d), so while B(d) is unchanged the
    // previous fixed point lies below the new one and the iteration may start there.
    const fromMs = blockingMs === previous.blockingMs ? previous.pointMs : 0
    const point = windowFixedPoint(task, others, aMs, blockingMs, fromMs, busy.ms, budget)
    if (!point.ok) return point
    previous = { blockingMs, pointMs: point.ms }
    const completionMs = isChunked(task) ? point.ms : point.ms + task.budgetMs
    worstMs = Math.max(worstMs, completionMs - aMs)
  }
  return { ok: true, ms: worstMs }
}

/** The fixed point of the window of the job released at aMs (edfResponse): its start, or for a task that yields its completion, ms from 0. */
function windowFixedPoint(task: TaskTiming, others: readonly TaskTiming[], aMs: number, blockingMs: number, fromMs: number, limitMs: number, budget: StepBudget): Bound {
  const dMs = aMs + task.deadlineMs
  const ownMs = floorRatio(aMs, task.periodMs) * task.budgetMs + (isChunked(task) ? task.budgetMs : 0)
  const jobsOf = isChunked(task)
    ? (j: TaskTiming, x: number): number => Math.min(ceilRatio(x, j.periodMs), jobsDueBy(j, dMs))
    : (j: TaskTiming, x: number): number => Math.min(floorRatio(x, j.periodMs) + 1, jobsDueBy(j, dMs))
  const f = (x: number): number => blockingMs + ownMs + others.reduce((sum, j) => sum + jobsOf(j, x) * j.budgetMs, 0)
  return leastFixedPoint(f, Math.max(fromMs, blockingMs + ownMs), Math.max(limitMs, f(Infinity)), budget)
}

/**
 * L = B_max + Σ_j ⌈L/T_j⌉·C_j, with B_max the largest blocking any window can have (every chunk
 * and hold of the other tasks): no deadline busy period of the task is longer.
 */
function longestBusyPeriod(tasks: readonly TaskTiming[], others: readonly TaskTiming[], budget: StepBudget): Bound {
  const blockingMs = blockingBy(others, resourcesOf(tasks), true).totalMs
  const utilization = tasks.reduce((sum, task) => sum + task.budgetMs / task.periodMs, 0)
  if (utilization > 1 + 1e-12 || (utilization >= 1 - 1e-12 && blockingMs > TOLERANCE_MS)) {
    return { ok: false, why: `with utilization ${formatUtilization(utilization)}${utilization <= 1 + 1e-12 ? ' and blocking' : ''} the busy period never ends` }
  }
  const totalMs = tasks.reduce((sum, task) => sum + task.budgetMs, 0)
  const f = (t: number): number => blockingMs + tasks.reduce((sum, task) => sum + ceilRatio(t, task.periodMs) * task.budgetMs, 0)
  return leastFixedPoint(f, blockingMs + totalMs, busyPeriodLimitMs(tasks.map(task => task.periodMs)), budget)
}

/** {kT_j + D_j − D_i >= 0} below busyMs, and 0; null when there are too many. */
function candidateReleases(tasks: readonly TaskTiming[], task: TaskTiming, busyMs: number): number[] | null {
  const values: number[] = [0]
  for (const other of tasks) {
    const firstK = Math.max(0, ceilRatio(task.deadlineMs - other.deadlineMs, other.periodMs))
    for (let k = firstK; ; k++) {
      const aMs = k * other.periodMs + other.deadlineMs - task.deadlineMs
      if (aMs >= busyMs - TOLERANCE_MS) break
      if (values.length >= MAX_TEST_POINTS) return null
      values.push(Math.max(0, aMs))
    }
  }
  return uniqueAscending(values)
}
