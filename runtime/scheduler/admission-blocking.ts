/**
 * The blocking term of the admission analyses: how long a job can be kept from the processor or
 * from a resource by jobs its policy ranks below it. Pure.
 */
import type { TaskTiming } from './types.ts'

/** One contribution to a blocking term. */
export interface BlockingPart {
  readonly taskId: string
  readonly ms: number
  /** The resource the task holds, or null for a non-preemptive chunk on the processor. */
  readonly resource: string | null
}

/** A blocking term and what it is made of (for explanations). */
export interface Blocking {
  readonly totalMs: number
  readonly parts: readonly BlockingPart[]
}

export const NO_BLOCKING: Blocking = { totalMs: 0, parts: [] }

/** Longest stretch a job of the task holds the processor between two dispatch points, ms. */
export function chunkMs(task: TaskTiming): number {
  return Math.min(task.nonPreemptiveMs, task.budgetMs)
}

/** True when the task's jobs reach a dispatch point before they complete (they yield, wait or sleep). */
export function isChunked(task: TaskTiming): boolean {
  return task.nonPreemptiveMs < task.budgetMs
}

/** The names of the resources the tasks use. */
export function resourcesOf(tasks: readonly TaskTiming[]): Set<string> {
  return new Set(tasks.flatMap(task => task.resources.map(use => use.name)))
}

/**
 * B = (longest non-preemptive chunk among `lower`, if `withChunk`) + Σ over the resources in
 * `contested` of (longest hold of that resource among `lower`).
 *
 * The chunk: a lower-ranked job that started just before the job under analysis was released
 * runs on to its next dispatch point. The holds: a lower-ranked job that holds a bus across a
 * dispatch point (it awaits the transfer) keeps it from a job that needs it; resources are
 * granted in policy order (resource.ts), so each is held against the job at most once. A lower
 * job can do both, and several lower jobs can each hold a different bus, so the parts are added
 * rather than maximised: conservative, never optimistic.
 *
 * Assumes, as the brief's model does: a job acquires each resource at most once per job, and a
 * higher-ranked job's resource waits do not push its work later (no self-suspension jitter).
 * Both are TODOs for a finer analysis; drivers keep bus sequences short.
 */
export function blockingBy(lower: readonly TaskTiming[], contested: ReadonlySet<string>, withChunk: boolean): Blocking {
  const parts: BlockingPart[] = []
  if (withChunk) {
    const longest = longestBy(lower, chunkMs)
    if (longest !== null) parts.push({ taskId: longest.task.id, ms: longest.ms, resource: null })
  }
  for (const name of [...contested].sort()) {
    const holdMs = (task: TaskTiming): number => Math.max(0, ...task.resources.filter(use => use.name === name).map(use => use.holdMs))
    const longest = longestBy(lower, holdMs)
    if (longest !== null) parts.push({ taskId: longest.task.id, ms: longest.ms, resource: name })
  }
  return { totalMs: parts.reduce((sum, part) => sum + part.ms, 0), parts }
}

function longestBy(tasks: readonly TaskTiming[], msOf: (task: TaskTiming) => number): { task: TaskTiming; ms: number } | null {
  let best: { task: TaskTiming; ms: number } | null = null
  for (const task of tasks) {
    const ms = msOf(task)
    if (ms > 0 && (best === null || ms > best.ms)) best = { task, ms }
  }
  return best
}
