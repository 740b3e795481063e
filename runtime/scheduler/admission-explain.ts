/**
 * The sentences of the admission report: one per task, one per problem. Pure formatting; every
 * sentence names the task by id and gives amounts in ms.
 */
import type { Blocking } from './admission-blocking.ts'
import type { DemandVerdict } from './admission-edf.ts'
import { formatMs, formatUtilization } from './admission-math.ts'
import type { TaskTiming } from './types.ts'

/** How a task's bound came about, for its explanation. */
export type Finding =
  | { readonly kind: 'bound'; readonly responseMs: number }
  | { readonly kind: 'no-bound'; readonly why: string }
  /** EDF: the demand test is met, so the response is at most the deadline (the RTA said more or nothing). */
  | { readonly kind: 'by-demand-test' }
  /** EDF: the demand test fails at a deadline of this task although its own bound looked fine. */
  | { readonly kind: 'demand-exceeded'; readonly atMs: number; readonly excessMs: number }

/** One sentence about one task, e.g. "worst-case response 6 ms exceeds its 4 ms deadline by 2 ms (blocking 5 ms by 'lo')". */
export function explainTask(task: TaskTiming, finding: Finding, blocking: Blocking): string {
  const periodNote = task.deadlineMs > task.periodMs
    ? `its ${formatMs(task.deadlineMs)} ms deadline exceeds its ${formatMs(task.periodMs)} ms period, which tables do not allow (deadlineMs <= periodMs); `
    : ''
  return periodNote + describe(task, finding) + describeBlocking(blocking)
}

function describe(task: TaskTiming, finding: Finding): string {
  const deadline = `its ${formatMs(task.deadlineMs)} ms deadline`
  switch (finding.kind) {
    case 'no-bound':
      return `no response-time bound: ${finding.why}`
    case 'by-demand-test':
      return `worst-case response at most ${deadline}, by the processor-demand test`
    case 'demand-exceeded':
      return `processor demand up to its deadline at ${formatMs(finding.atMs)} ms exceeds the time available by ${formatMs(finding.excessMs)} ms`
    case 'bound': {
      const lateMs = finding.responseMs - task.deadlineMs
      const response = `worst-case response ${formatMs(finding.responseMs)} ms`
      return lateMs > 1e-9 ? `${response} exceeds ${deadline} by ${formatMs(lateMs)} ms` : `${response} within ${deadline}`
    }
  }
}

/** " (blocking 2 ms by 'log')", " (blocking 4 ms: 1 ms by 'log' running, 3 ms by 'log' holding 'i2c-1')", or "". */
export function describeBlocking(blocking: Blocking): string {
  const [only, ...rest] = blocking.parts
  if (only === undefined || blocking.totalMs <= 0) return ''
  const holding = (resource: string | null): string => (resource === null ? '' : ` holding '${resource}'`)
  if (rest.length === 0) return ` (blocking ${formatMs(blocking.totalMs)} ms by '${only.taskId}'${holding(only.resource)})`
  const parts = blocking.parts.map(part => `${formatMs(part.ms)} ms by '${part.taskId}'${part.resource === null ? ' running' : holding(part.resource)}`)
  return ` (blocking ${formatMs(blocking.totalMs)} ms: ${parts.join(', ')})`
}

export function utilizationProblem(utilization: number): string {
  return `utilization ${formatUtilization(utilization)} exceeds 1`
}

/** The problem line of a failed or unfinished EDF demand test; null when it passed or U > 1 said it all. */
export function demandProblem(verdict: DemandVerdict): string | null {
  switch (verdict.kind) {
    case 'met':
    case 'overloaded':
      return null
    case 'unknown':
      return `the processor-demand test did not finish (${verdict.why}), so the table cannot be admitted`
    case 'exceeded': {
      const totalMs = verdict.demandMs + verdict.blocking.totalMs
      const whose = verdict.taskIds.map(id => `'${id}'`).join(', ')
      return `processor demand by ${formatMs(verdict.atMs)} ms (a deadline of ${whose}) is ${formatMs(verdict.demandMs)} ms of jobs due`
        + `${verdict.blocking.totalMs > 0 ? ` + ${formatMs(verdict.blocking.totalMs)} ms blocking` : ''} = ${formatMs(totalMs)} ms,`
        + ` ${formatMs(totalMs - verdict.atMs)} ms more than the ${formatMs(verdict.atMs)} ms available${describeBlocking(verdict.blocking)}`
    }
  }
}
