/**
 * What a running job sees. One context object per task is reused for every job of that task, so
 * read its fields while the job runs; do not keep it for later.
 */
export interface JobContext {
  readonly taskId: string
  /** When this job was released, on the scheduler clock, ms. */
  readonly releaseMs: number
  /** Absolute deadline, ms. */
  readonly deadlineMs: number
  /** Fires when the scheduler aborts the job (miss policy `abort`, or stop()); its reason is a SchedulerError. */
  readonly signal: AbortSignal
  /**
   * A dispatch point: lets the scheduler run a job it ranks higher (under `rr`: every job waiting
   * at the same level goes first). Rejects with the abort reason if the job was aborted meanwhile.
   */
  yield(): Promise<void>
  /** Waits `ms` without holding the processor (a dispatch point); rejects if the job is aborted. */
  sleep(ms: number): Promise<void>
  /** Runs `work` holding the named shared resource (e.g. a bus), granted in the policy's order. */
  use<T>(resource: string, work: () => Promise<T>): Promise<T>
}
