/**
 * Admission (schedulability) analysis: can the declared budgets meet their deadlines under the
 * table's policy on the one JS thread? Pure: no I/O, no clock. The loader refuses an infeasible
 * table (or warns) and `edgert plan` prints the report (ARCHITECTURE.md, "Scheduling model").
 *
 * The model the analysis is sound for: a job holds the processor from a dispatch point (its
 * start, ctx.yield(), a resource wait, a scheduler-aware sleep) to the next, for at most
 * nonPreemptiveMs at a time and budgetMs in total; releases are exact and at least periodMs
 * apart; at most one job per task is active. Offsets are ignored: every bound holds for any
 * phasing, so for sporadic tasks too. Per policy (details and sources in the files named):
 * - priority, rr: fixed-priority non-preemptive response-time analysis (admission-fixed-priority.ts)
 * - fifo: one job of every other task ahead, or the lowest-priority analysis (admission-fixed-priority.ts)
 * - edf: processor-demand test with blocking, and response-time bounds (admission-edf.ts)
 */
import { NO_BLOCKING } from './admission-blocking.ts'
import { analyseEdf, demandTest, type DemandVerdict } from './admission-edf.ts'
import { demandProblem, explainTask, utilizationProblem, type Finding } from './admission-explain.ts'
import { analyseFifo, analyseFixedPriority, type TaskBound } from './admission-fixed-priority.ts'
import { TOLERANCE_MS } from './admission-math.ts'
import type { Policy, SchedulingSettings, TaskTiming } from './types.ts'

/** What the analysis found for one task. */
export interface TaskAnalysis {
  readonly id: string
  readonly periodMs: number
  readonly deadlineMs: number
  readonly budgetMs: number
  /** Longest time a job of this task can be kept from the processor or its resources by jobs the policy ranks below it (non-preemptive sections, bus holds), ms. */
  readonly blockingMs: number
  /**
   * Worst-case response time bound (release to completion), ms; null when none exists (overload:
   * the busy period never ends) or the analysis gave up on finding one (the explanation says which).
   */
  readonly responseTimeMs: number | null
  /** responseTimeMs !== null && responseTimeMs <= deadlineMs (within 1e-9 ms), and deadlineMs <= periodMs. */
  readonly feasible: boolean
  /** One sentence naming the amounts in ms, e.g. "worst-case response 6 ms exceeds its 4 ms deadline by 2 ms (blocking 5 ms by 'log')". */
  readonly explanation: string
}

/** The admission verdict for a table: overall, and per task in input order. */
export interface AdmissionReport {
  readonly policy: Policy
  /** Σ budgetMs / periodMs. */
  readonly utilization: number
  /** utilization <= 1 and every task feasible (edf: and the processor-demand test met). */
  readonly feasible: boolean
  /** Which test was applied and its reference, one line. */
  readonly method: string
  /** Same order as the input. */
  readonly tasks: readonly TaskAnalysis[]
  /** One line per problem, naming the task and by how much it misses; empty when feasible. */
  readonly problems: readonly string[]
}

const METHODS: Record<Policy, string> = {
  priority: 'fixed-priority non-preemptive response-time analysis over the level busy period (Davis, Burns, Bril & Lukkien, Real-Time Systems 35(3), 2007); '
    + 'yielding tasks as deferred preemption with an arbitrarily short final chunk (Bril, Lukkien & Verhaegh, Real-Time Systems 42, 2009); equal priorities count as higher',
  rr: 'round robin within levels, bounded by the fixed-priority non-preemptive response-time analysis with same-level tasks counted as higher (Davis, Burns, Bril & Lukkien, 2007; '
    + 'Bril, Lukkien & Verhaegh, 2009 for yielding tasks); the quantum does not loosen the bound',
  fifo: 'non-preemptive FIFO: a job waits for at most one job of every other task (sum of budgets + resource holds), '
    + 'or when some task cannot be shown to finish within its period, the fixed-priority analysis with the task lowest (Davis, Burns, Bril & Lukkien, 2007)',
  edf: 'non-preemptive EDF processor-demand test with the blocking term (George, Rivierre & Spuri, INRIA RR-2966, 1996; Baruah, ECRTS 2005 for yielding tasks); '
    + 'response times from the deadline-busy-period analysis of the same report, capped at the deadline when the demand test is met',
}

/**
 * Analyses `tasks` under `settings.policy`; `quantumMs` cannot loosen any bound and is not used.
 * Throws RangeError for timings no table can hold (non-positive period, deadline or chunk,
 * negative budget or hold, non-finite numbers). A deadline longer than the period is analysed
 * but the task is reported infeasible with a problem line: tables require deadlineMs <= periodMs.
 */
export function analyseAdmission(settings: Pick<SchedulingSettings, 'policy' | 'quantumMs'>, tasks: readonly TaskTiming[]): AdmissionReport {
  for (const task of tasks) checkTiming(task)
  const policy = settings.policy
  const utilization = tasks.reduce((sum, task) => sum + task.budgetMs / task.periodMs, 0)
  const bounds = policy === 'edf' ? analyseEdf(tasks) : policy === 'fifo' ? analyseFifo(tasks) : analyseFixedPriority(tasks)
  const demand = policy === 'edf' ? demandTest(tasks) : null
  const findings = demand === null ? bounds.map(bound => plainFinding(bound)) : edfFindings(tasks, bounds, demand)
  const analyses = tasks.map((task, index) => analysis(task, bounds[index], findings[index]))
  const overloaded = utilization > 1 + 1e-9
  const demandLine = demand === null ? null : demandProblem(demand)
  const problems = [
    ...(overloaded ? [utilizationProblem(utilization)] : []),
    ...(demandLine === null ? [] : [demandLine]),
    ...analyses.filter(task => !task.feasible).map(task => `'${task.id}': ${task.explanation}`),
  ]
  return { policy, utilization, feasible: problems.length === 0, method: METHODS[policy], tasks: analyses, problems }
}

function plainFinding(bound: TaskBound): Finding {
  return bound.response.ok ? { kind: 'bound', responseMs: bound.response.ms } : { kind: 'no-bound', why: bound.response.why }
}

/**
 * EDF: the demand test decides. When it is met every deadline is met, so a response bound above
 * the deadline (or none) is replaced by the deadline. When it fails, the tasks whose bound
 * misses are the infeasible ones; should none miss, the tasks with a deadline at the failing
 * instant are named, so the per-task verdicts always agree with the test.
 */
function edfFindings(tasks: readonly TaskTiming[], bounds: readonly TaskBound[], demand: DemandVerdict): Finding[] {
  const plain = bounds.map(bound => plainFinding(bound))
  if (demand.kind === 'met') {
    return plain.map((finding, index) => {
      const deadlineMs = tasks[index]?.deadlineMs ?? 0
      return finding.kind === 'bound' && finding.responseMs <= deadlineMs + TOLERANCE_MS ? finding : { kind: 'by-demand-test' }
    })
  }
  if (demand.kind !== 'exceeded') return plain
  const anyMiss = plain.some((finding, index) => !meetsDeadline(finding, tasks[index]))
  if (anyMiss) return plain
  const excessMs = demand.demandMs + demand.blocking.totalMs - demand.atMs
  return plain.map((finding, index) => (demand.taskIds.includes(tasks[index]?.id ?? '') ? { kind: 'demand-exceeded', atMs: demand.atMs, excessMs } : finding))
}

function meetsDeadline(finding: Finding, task: TaskTiming | undefined): boolean {
  if (task === undefined) return false
  switch (finding.kind) {
    case 'bound':
      return finding.responseMs <= task.deadlineMs + TOLERANCE_MS
    case 'by-demand-test':
      return true
    case 'no-bound':
    case 'demand-exceeded':
      return false
  }
}

function analysis(task: TaskTiming, bound: TaskBound | undefined, finding: Finding | undefined): TaskAnalysis {
  const blocking = bound?.blocking ?? NO_BLOCKING
  const found: Finding = finding ?? { kind: 'no-bound', why: 'not analysed' }
  const responseTimeMs = found.kind === 'bound' ? found.responseMs : found.kind === 'by-demand-test' ? task.deadlineMs : null
  return {
    id: task.id,
    periodMs: task.periodMs,
    deadlineMs: task.deadlineMs,
    budgetMs: task.budgetMs,
    blockingMs: blocking.totalMs,
    responseTimeMs,
    feasible: meetsDeadline(found, task) && task.deadlineMs <= task.periodMs + TOLERANCE_MS,
    explanation: explainTask(task, found, blocking),
  }
}

function checkTiming(task: TaskTiming): void {
  const where = `task '${task.id}'`
  const check = (name: string, value: number, ok: boolean): void => {
    if (!ok || !Number.isFinite(value)) throw new RangeError(`${where}: ${name} must be a finite ${name === 'budgetMs' ? 'non-negative' : 'positive'} number of ms, got ${value}`)
  }
  check('periodMs', task.periodMs, task.periodMs > 0)
  check('deadlineMs', task.deadlineMs, task.deadlineMs > 0)
  check('budgetMs', task.budgetMs, task.budgetMs >= 0)
  check('nonPreemptiveMs', task.nonPreemptiveMs, task.nonPreemptiveMs > 0)
  for (const use of task.resources) {
    if (!(use.holdMs >= 0) || !Number.isFinite(use.holdMs)) throw new RangeError(`${where}: resource '${use.name}' holdMs must be a finite non-negative number of ms, got ${use.holdMs}`)
  }
}
