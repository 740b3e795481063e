import type { JobContext } from './job-context.ts'
import type { Rankable } from './policy.ts'
import type { TaskDefinition } from './task.ts'
import { TaskMetrics } from './task-metrics.ts'

/** The scheduler operations a job's context calls (implemented by Scheduler). */
export interface JobHost {
  yieldJob(job: Job): Promise<void>
  sleepJob(job: Job, ms: number, signal?: AbortSignal): Promise<void>
  useResource<T>(job: Job, resource: string, work: () => Promise<T>): Promise<T>
}

/**
 * The state of one task and of its current job. There is at most one active job per task, and
 * this object is reused for each of them, so releasing a job allocates nothing.
 */
export class Job implements Rankable {
  readonly task: TaskDefinition
  readonly order: number
  readonly metrics: TaskMetrics
  readonly context: JobContext
  readonly priority: number

  // The current job (Rankable).
  releaseMs = 0
  deadlineMs = 0
  turn = 0

  // Positions in the scheduler's heaps and a resource's wait queue (-1: not there).
  readyIndex = -1
  deadlineIndex = -1
  releaseIndex = -1
  waitIndex = -1

  /** Next periodic release, or the deferred release of a pending sporadic event, ms. */
  nextReleaseMs = 0
  lastReleaseMs = -Infinity

  active = false
  started = false
  missed = false
  overran = false
  /** Set when rr moved the job to the back of its level: its quantum restarts at its next grant. */
  newTurn = false
  executionMs = 0
  segmentStartMs = 0
  quantumStartMs = 0
  controller = new AbortController()
  /** Mirrors controller.signal.aborted: read on every grant, and the signal's getter is not free. */
  aborted = false

  // Task-level state that outlives one job.
  consecutiveFailures = 0
  holdUntilMs = -Infinity
  skipNext = false
  paused = false
  sporadicPending = false
  /** A release that fell due while the job was still active; made when it ends. NaN: none. */
  pendingReleaseMs = NaN

  // A parked job waits on these until the dispatcher grants it the processor again.
  resumeGranted: (() => void) | null = null
  rejectGranted: ((reason: unknown) => void) | null = null
  // A job waiting for a resource waits on this until the resource is handed to it.
  resourceGranted: (() => void) | null = null

  /** Bound once so completing a job allocates no closure. */
  readonly onFulfilled: () => void
  readonly onRejected: (error: unknown) => void

  constructor(task: TaskDefinition, order: number, host: JobHost, finish: (job: Job, error: unknown, failed: boolean) => void) {
    this.task = task
    this.order = order
    this.priority = task.priority
    this.metrics = new TaskMetrics(task.id)
    this.onFulfilled = () => finish(this, undefined, false)
    this.onRejected = (error: unknown) => finish(this, error, true)
    this.context = createContext(this, host)
  }

  abort(reason: unknown): void {
    this.aborted = true
    this.controller.abort(reason)
  }

  /** A fresh signal for the next job (allocates only after an abort). */
  renewSignal(): void {
    this.controller = new AbortController()
    this.aborted = false
  }
}

function createContext(job: Job, host: JobHost): JobContext {
  return {
    taskId: job.task.id,
    get releaseMs() {
      return job.releaseMs
    },
    get deadlineMs() {
      return job.deadlineMs
    },
    get signal() {
      return job.controller.signal
    },
    yield: () => host.yieldJob(job),
    sleep: ms => host.sleepJob(job, ms),
    use: (resource, work) => host.useResource(job, resource, work),
  }
}
