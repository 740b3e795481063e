import type { Policy } from './types.ts'

/** What the dispatch order looks at in a job. */
export interface Rankable {
  readonly priority: number
  readonly releaseMs: number
  /** Absolute deadline, ms. */
  readonly deadlineMs: number
  /** Position of the task in its table: the final tie-breaker, so the order is deterministic. */
  readonly order: number
  /** Round-robin turn: larger is further back in its priority level. */
  readonly turn: number
}

/**
 * True when `a` is dispatched before `b` under `policy` (ARCHITECTURE.md, "Scheduling model"):
 * - fifo: earlier release first; ties by table order.
 * - priority: higher priority first; FIFO among equals.
 * - edf: earlier absolute deadline first; FIFO among equals.
 * - rr: higher priority level first; within a level, the job whose turn came first.
 */
export function ranksBefore(policy: Policy, a: Rankable, b: Rankable): boolean {
  switch (policy) {
    case 'fifo':
      return fifoBefore(a, b)
    case 'priority':
      return a.priority !== b.priority ? a.priority > b.priority : fifoBefore(a, b)
    case 'edf':
      return a.deadlineMs !== b.deadlineMs ? a.deadlineMs < b.deadlineMs : fifoBefore(a, b)
    case 'rr':
      if (a.priority !== b.priority) return a.priority > b.priority
      return a.turn !== b.turn ? a.turn < b.turn : a.order < b.order
  }
}

function fifoBefore(a: Rankable, b: Rankable): boolean {
  return a.releaseMs !== b.releaseMs ? a.releaseMs < b.releaseMs : a.order < b.order
}

/**
 * The dispatch order of `policy` as one specialised function, so the ready queue does not branch
 * on the policy in every comparison (it runs a few times per job: bench/dispatch.ts).
 */
export function rankerFor(policy: Policy): (a: Rankable, b: Rankable) => boolean {
  switch (policy) {
    case 'fifo':
      return fifoBefore
    case 'priority':
      return (a, b) => (a.priority !== b.priority ? a.priority > b.priority : fifoBefore(a, b))
    case 'edf':
      return (a, b) => (a.deadlineMs !== b.deadlineMs ? a.deadlineMs < b.deadlineMs : fifoBefore(a, b))
    case 'rr':
      return (a, b) => (a.priority !== b.priority ? a.priority > b.priority : a.turn !== b.turn ? a.turn < b.turn : a.order < b.order)
  }
}
