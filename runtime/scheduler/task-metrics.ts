import { Histogram, type HistogramSummary } from './histogram.ts'

/** The published figures of one task (the metrics publisher reads these). */
export interface TaskMetricsSnapshot {
  readonly id: string
  readonly released: number
  readonly completed: number
  readonly failed: number
  readonly aborted: number
  /** Releases not made because the previous job was still active, a skip-next policy, back-off, or a late wake-up. */
  readonly skippedReleases: number
  readonly deadlineMisses: number
  readonly budgetOverruns: number
  /** Failed jobs by error kind ('nack', 'timeout', 'deadline'…). */
  readonly failuresByKind: Readonly<Record<string, number>>
  /** Start − release. */
  readonly lateness: HistogramSummary
  /** Completion − release. */
  readonly responseTime: HistogramSummary
  /** Time the job held the processor. */
  readonly executionTime: HistogramSummary
}

/** Counters and histograms of one task; recording allocates nothing (except a task's first failure of a new kind). */
export class TaskMetrics {
  readonly id: string
  released = 0
  completed = 0
  failed = 0
  aborted = 0
  skippedReleases = 0
  deadlineMisses = 0
  budgetOverruns = 0
  readonly failuresByKind = new Map<string, number>()
  readonly lateness = new Histogram()
  readonly responseTime = new Histogram()
  readonly executionTime = new Histogram()

  constructor(id: string) {
    this.id = id
  }

  recordFailure(kind: string): void {
    this.failed++
    this.failuresByKind.set(kind, (this.failuresByKind.get(kind) ?? 0) + 1)
  }

  snapshot(): TaskMetricsSnapshot {
    return {
      id: this.id,
      released: this.released,
      completed: this.completed,
      failed: this.failed,
      aborted: this.aborted,
      skippedReleases: this.skippedReleases,
      deadlineMisses: this.deadlineMisses,
      budgetOverruns: this.budgetOverruns,
      failuresByKind: Object.fromEntries(this.failuresByKind),
      lateness: this.lateness.summary(),
      responseTime: this.responseTime.summary(),
      executionTime: this.executionTime.summary(),
    }
  }

  reset(): void {
    this.released = this.completed = this.failed = this.aborted = 0
    this.skippedReleases = this.deadlineMisses = this.budgetOverruns = 0
    this.failuresByKind.clear()
    this.lateness.reset()
    this.responseTime.reset()
    this.executionTime.reset()
  }
}
