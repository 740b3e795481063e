import type { Clock } from '../clock.ts'
import { SchedulerError, errorKind, type SchedulerErrorKind } from './errors.ts'
import { IndexedHeap, type HeapSlot } from './heap.ts'
import { Job, type JobHost } from './job.ts'
import { backoffMs, periodsSlept, sporadicReleaseMs } from './plan.ts'
import { rankerFor } from './policy.ts'
import { SharedResource, type ProcessorControl } from './resource.ts'
import type { TaskDefinition } from './task.ts'
import type { TaskMetricsSnapshot } from './task-metrics.ts'
import type { SchedulingSettings } from './types.ts'

export { periodicTask, sporadicTask, type TaskDefinition, type TaskInit } from './task.ts'
export type { JobContext } from './job-context.ts'

/** What the scheduler reports as it happens (metrics carry the totals). */
export type SchedulerEvent =
  | { readonly type: 'task-failed'; readonly taskId: string; readonly atMs: number; readonly kind: string; readonly error: unknown }
  | { readonly type: 'deadline-missed'; readonly taskId: string; readonly atMs: number; readonly releaseMs: number; readonly deadlineMs: number }
  | { readonly type: 'budget-overrun'; readonly taskId: string; readonly atMs: number; readonly executionMs: number; readonly budgetMs: number }

export interface SchedulerOptions {
  readonly clock: Clock
  readonly settings: Pick<SchedulingSettings, 'policy' | 'quantumMs'>
  readonly tasks: readonly TaskDefinition[]
  readonly onEvent?: (event: SchedulerEvent) => void
  /** Called when a task whose miss policy is `safe-state` misses its deadline or overruns its budget. */
  readonly onSafeState?: (taskId: string, reason: SchedulerErrorKind) => void
}

/**
 * A job is late once its deadline has passed by more than this, ms. Finishing exactly at the
 * deadline is on time; 1 µs is below the resolution of any wake-up the loop can get, so only
 * exact ties (virtual time) are affected.
 */
const DEADLINE_TOLERANCE_MS = 0.001

/** The longest single sleep of the loop when nothing is due (only sporadic tasks), ms. */
const IDLE_WAKE_MS = 60_000
const REARM = Symbol('rearm')

const READY_SLOT: HeapSlot<Job> = { get: job => job.readyIndex, set: (job, index) => void (job.readyIndex = index) }
const DEADLINE_SLOT: HeapSlot<Job> = { get: job => job.deadlineIndex, set: (job, index) => void (job.deadlineIndex = index) }
const RELEASE_SLOT: HeapSlot<Job> = { get: job => job.releaseIndex, set: (job, index) => void (job.releaseIndex = index) }

/**
 * The deadline-aware scheduler (ARCHITECTURE.md, "Scheduling model").
 *
 * Concurrency model: Node runs one JavaScript thread, so a job is never preempted. Exactly one
 * job holds the processor at a time; the dispatcher picks the next one, in policy order, only at
 * dispatch points: a job's start, and when the running job completes, calls ctx.yield(), sleeps
 * (ctx.sleep() or this.clock.sleep()) or waits for a SharedResource. A job that awaits anything
 * else keeps the processor, and its whole wait counts as execution time. Time comes only from
 * the injected Clock; the loop below is the only code here that waits on it.
 */
export class Scheduler implements JobHost, ProcessorControl {
  /**
   * The clock to give drivers: a sleep called by the running job is a dispatch point (the job
   * gives up the processor while it waits); any other caller gets the plain clock's sleep.
   */
  readonly clock: Clock
  readonly #base: Clock
  readonly #policy: SchedulingSettings['policy']
  readonly #quantumMs: number
  readonly #jobs: readonly Job[]
  readonly #byId = new Map<string, Job>()
  readonly #resources = new Map<string, SharedResource>()
  readonly #ready: IndexedHeap<Job>
  readonly #deadlines = new IndexedHeap<Job>(DEADLINE_SLOT, (a, b) => (a.deadlineMs !== b.deadlineMs ? a.deadlineMs < b.deadlineMs : a.order < b.order))
  readonly #releases = new IndexedHeap<Job>(RELEASE_SLOT, (a, b) => (a.nextReleaseMs !== b.nextReleaseMs ? a.nextReleaseMs < b.nextReleaseMs : a.order < b.order))
  readonly #ranksBefore: (a: Job, b: Job) => boolean
  /** Jobs released since the loop last planned its wake-up, not yet in #deadlines (see #watchDeadlines). */
  #unwatched: Job[] = []
  #unwatchedCount = 0
  readonly #onEvent: (event: SchedulerEvent) => void
  readonly #onSafeState: (taskId: string, reason: SchedulerErrorKind) => void
  #running: Job | null = null
  #dispatching = false
  #turns = 0
  #activeJobs = 0
  #state: 'new' | 'running' | 'stopping' | 'stopped' = 'new'
  #wake = new AbortController()
  #plannedWakeMs = Infinity
  #loop: Promise<void> | undefined
  #idle: (() => void) | undefined

  constructor(options: SchedulerOptions) {
    this.#base = options.clock
    this.#policy = options.settings.policy
    this.#quantumMs = options.settings.quantumMs
    this.#onEvent = options.onEvent ?? (() => undefined)
    this.#onSafeState = options.onSafeState ?? (() => undefined)
    this.#ranksBefore = rankerFor(this.#policy)
    this.#ready = new IndexedHeap(READY_SLOT, this.#ranksBefore)
    const finish = (job: Job, error: unknown, failed: boolean): void => this.#finish(job, error, failed)
    this.#jobs = options.tasks.map((task, order) => {
      if (this.#byId.has(task.id)) throw new RangeError(`task id '${task.id}' is used twice`)
      const job = new Job(task, order, this, finish)
      this.#byId.set(task.id, job)
      for (const use of task.resources) this.resource(use.name)
      return job
    })
    const base = this.#base
    this.clock = {
      now: () => base.now(),
      sleep: (ms, signal) => (this.#running === null ? base.sleep(ms, signal) : this.sleepJob(this.#running, ms, signal)),
    }
  }

  /** The job holding the processor, if any. */
  get running(): Job | null {
    return this.#running
  }

  /** The shared resource of that name (created on first use), to wrap a bus's transactions. */
  resource(name: string): SharedResource {
    let resource = this.#resources.get(name)
    if (resource === undefined) {
      resource = new SharedResource(name, this)
      this.#resources.set(name, resource)
    }
    return resource
  }

  /** Starts releasing: periodic tasks at now + offsetMs, then every periodMs. */
  start(): void {
    if (this.#state !== 'new') throw new Error(`Scheduler.start(): already ${this.#state}`)
    this.#state = 'running'
    const startMs = this.#base.now()
    for (const job of this.#jobs) {
      if (job.task.kind !== 'periodic') continue
      job.nextReleaseMs = startMs + job.task.offsetMs
      this.#releases.push(job)
    }
    this.#loop = this.#run()
  }

  /**
   * Stops releasing, aborts active jobs (reason: SchedulerError kind 'stopped') and resolves when
   * they have ended. A job that ignores its signal and never reaches a dispatch point delays this.
   */
  async stop(): Promise<void> {
    if (this.#state === 'new') this.#state = 'stopped'
    if (this.#state !== 'running') return
    this.#state = 'stopping'
    this.#wake.abort(REARM)
    for (const job of this.#jobs) if (job.active) job.abort(new SchedulerError('stopped', `task '${job.task.id}': scheduler stopped`))
    await this.#loop
    if (this.#activeJobs > 0) await new Promise<void>(resolve => (this.#idle = resolve))
    this.#state = 'stopped'
  }

  /**
   * Releases a sporadic task now (e.g. from a GPIO edge). An event that comes sooner than the
   * minimum inter-arrival time after the last release is deferred to that time; events that
   * arrive while one is already pending are coalesced into it and counted as skipped releases.
   */
  release(taskId: string): void {
    const job = this.#job(taskId)
    if (job.task.kind !== 'sporadic') throw new RangeError(`task '${taskId}' is periodic; only sporadic tasks are released by events`)
    if (this.#state !== 'running' || job.paused) return
    if (job.sporadicPending) {
      job.metrics.skippedReleases++
      return
    }
    job.sporadicPending = true
    const nowMs = this.#base.now()
    job.nextReleaseMs = sporadicReleaseMs(nowMs, job.lastReleaseMs, job.task.periodMs)
    this.#releases.push(job)
    if (job.nextReleaseMs <= nowMs) {
      this.#releaseDue(nowMs)
      this.#dispatch()
    }
    this.#rearm()
  }

  /** Stops releasing a task until resume(); its current job, if any, runs on. */
  pause(taskId: string): void {
    this.#job(taskId).paused = true
  }

  resume(taskId: string): void {
    this.#job(taskId).paused = false
  }

  isPaused(taskId: string): boolean {
    return this.#job(taskId).paused
  }

  metrics(): TaskMetricsSnapshot[] {
    return this.#jobs.map(job => job.metrics.snapshot())
  }

  resetMetrics(): void {
    for (const job of this.#jobs) job.metrics.reset()
  }

  // ---- ProcessorControl and JobHost (called by contexts and resources) ----

  ranksBefore(a: Job, b: Job): boolean {
    return this.#ranksBefore(a, b)
  }

  releaseProcessor(job: Job): void {
    this.#unrun(job)
    this.#dispatch()
  }

  reacquire(job: Job): Promise<void> {
    const granted = new Promise<void>((resolve, reject) => {
      job.resumeGranted = resolve
      job.rejectGranted = reject
    })
    this.#catchUp()
    this.#ready.push(job)
    this.#dispatch()
    return granted
  }

  yieldJob(job: Job): Promise<void> {
    this.#unrun(job)
    if (this.#policy === 'rr' && !job.newTurn) this.#backOfLevel(job)
    return this.reacquire(job)
  }

  async sleepJob(job: Job, ms: number, signal?: AbortSignal): Promise<void> {
    this.releaseProcessor(job)
    let failure: { error: unknown } | undefined
    try {
      await this.#base.sleep(ms, signal ?? job.controller.signal)
    } catch (error) {
      failure = { error }
    }
    await this.reacquire(job)
    if (failure !== undefined) throw failure.error
  }

  useResource<T>(job: Job, name: string, work: () => Promise<T>): Promise<T> {
    if (this.#running !== job) return Promise.reject(new Error(`task '${job.task.id}' used '${name}' without holding the processor`))
    return this.resource(name).run(work)
  }

  /**
   * A dispatch point is also where time is looked at: a CPU-bound job that yields in chunks keeps
   * the event loop (and the loop's timer) from turning, so the releases and deadlines that fell
   * due meanwhile are handled here, and a job released in the meantime can rank first at once.
   * Without this a release waited for the whole job, not one chunk (the blocking term admission
   * counts is nonPreemptiveMs).
   */
  #catchUp(): void {
    if (this.#state !== 'running') return
    const nowMs = this.#base.now()
    this.#checkDeadlines(nowMs)
    this.#releaseDue(nowMs)
  }

  /** The running job gives up the processor; the caller decides what to dispatch. */
  #unrun(job: Job): void {
    if (this.#running !== job) throw new Error(`task '${job.task.id}' reached a dispatch point without holding the processor`)
    const nowMs = this.#base.now()
    job.executionMs += nowMs - job.segmentStartMs
    this.#running = null
    if (this.#policy === 'rr' && nowMs - job.quantumStartMs >= this.#quantumMs) this.#backOfLevel(job)
    if (!job.overran && job.executionMs > job.task.budgetMs) this.#overran(job, nowMs)
  }

  // ---- the loop ----

  async #run(): Promise<void> {
    while (this.#state === 'running') {
      const nowMs = this.#base.now()
      this.#checkDeadlines(nowMs)
      this.#releaseDue(nowMs)
      this.#dispatch()
      this.#plannedWakeMs = this.#nextWakeMs()
      const sleepMs = Math.min(this.#plannedWakeMs - this.#base.now(), IDLE_WAKE_MS)
      try {
        await this.#base.sleep(sleepMs, this.#wake.signal)
      } catch (error) {
        if (!this.#wake.signal.aborted) throw error
        this.#wake = new AbortController()
      }
    }
  }

  #nextWakeMs(): number {
    this.#watchDeadlines()
    const release = this.#releases.peek()?.nextReleaseMs ?? Infinity
    const deadline = (this.#deadlines.peek()?.deadlineMs ?? Infinity) + DEADLINE_TOLERANCE_MS
    return Math.min(release, deadline)
  }

  /** Wakes the loop early when an event made something due before its planned wake-up. */
  #rearm(): void {
    if (this.#state === 'running' && this.#nextWakeMs() < this.#plannedWakeMs) this.#wake.abort(REARM)
  }

  #checkDeadlines(nowMs: number): void {
    this.#watchDeadlines()
    for (let job = this.#deadlines.peek(); job !== undefined && job.deadlineMs + DEADLINE_TOLERANCE_MS <= nowMs; job = this.#deadlines.peek()) {
      this.#deadlines.pop()
      this.#missed(job, nowMs)
    }
  }

  #releaseDue(nowMs: number): void {
    for (let job = this.#releases.peek(); job !== undefined && job.nextReleaseMs <= nowMs; job = this.#releases.peek()) {
      if (job.task.kind === 'periodic') {
        const periodMs = job.task.periodMs
        const skipped = periodsSlept(job.nextReleaseMs, periodMs, nowMs)
        const releaseMs = job.nextReleaseMs + skipped * periodMs
        job.metrics.skippedReleases += skipped
        job.nextReleaseMs = releaseMs + periodMs
        this.#releases.update(job) // it is the top: one sift-down instead of pop + push
        this.#tryRelease(job, releaseMs, nowMs)
      } else {
        this.#releases.pop()
        this.#tryRelease(job, job.nextReleaseMs, nowMs)
      }
    }
  }

  /**
   * Makes a release unless something holds it back. A release that falls due while the task's
   * previous job is still active waits for that job to end (one pending release at most; a
   * second one replaces it and the first counts as skipped).
   */
  #tryRelease(job: Job, releaseMs: number, nowMs: number): void {
    if (job.paused) return
    if (job.active) {
      if (!Number.isNaN(job.pendingReleaseMs)) job.metrics.skippedReleases++
      job.pendingReleaseMs = releaseMs
      return
    }
    job.sporadicPending = false
    const tooLate = nowMs >= releaseMs + job.task.deadlineMs // it could only miss
    if (job.skipNext || releaseMs < job.holdUntilMs || tooLate) {
      job.skipNext = false
      job.metrics.skippedReleases++
      return
    }
    this.#activate(job, releaseMs)
  }

  #activate(job: Job, releaseMs: number): void {
    job.active = true
    job.started = false
    job.missed = false
    job.overran = false
    job.newTurn = false
    job.executionMs = 0
    job.releaseMs = releaseMs
    job.lastReleaseMs = releaseMs
    job.deadlineMs = releaseMs + job.task.deadlineMs
    job.turn = ++this.#turns
    if (job.aborted) job.renewSignal()
    job.metrics.released++
    this.#activeJobs++
    this.#ready.push(job)
    this.#unwatched[this.#unwatchedCount++] = job
  }

  /**
   * Puts the still-active jobs released since the last call into the deadline heap. Most jobs end
   * long before their deadline, usually within the loop iteration that released them, so they
   * never enter the heap: two heap operations per job saved on the hot path.
   */
  #watchDeadlines(): void {
    for (let i = 0; i < this.#unwatchedCount; i++) {
      const job = this.#unwatched[i]!
      if (job.active && !job.missed && !this.#deadlines.has(job)) this.#deadlines.push(job)
    }
    this.#unwatchedCount = 0
  }

  #dispatch(): void {
    if (this.#dispatching) return // the outer call's loop picks up whatever changed
    this.#dispatching = true
    try {
      while (this.#running === null) {
        const job = this.#ready.pop()
        if (job === undefined) break
        this.#grant(job)
      }
    } finally {
      this.#dispatching = false
    }
  }

  #grant(job: Job): void {
    const nowMs = this.#base.now()
    this.#running = job
    job.segmentStartMs = nowMs
    if (job.newTurn || !job.started) {
      job.quantumStartMs = nowMs
      job.newTurn = false
    }
    if (!job.started) {
      job.started = true
      if (job.aborted) {
        this.#finish(job, job.controller.signal.reason, true) // stopped before it could start
        return
      }
      job.metrics.lateness.record(nowMs - job.releaseMs)
      this.#start(job)
      return
    }
    const resume = job.resumeGranted
    const reject = job.rejectGranted
    job.resumeGranted = job.rejectGranted = null
    if (job.aborted) reject?.(job.controller.signal.reason)
    else resume?.()
  }

  #start(job: Job): void {
    let result: void | Promise<void>
    try {
      result = job.task.run(job.context)
    } catch (error) {
      this.#finish(job, error, true)
      return
    }
    if (result !== undefined && typeof (result).then === 'function') result.then(job.onFulfilled, job.onRejected)
    else this.#finish(job, undefined, false)
  }

  #finish(job: Job, error: unknown, failed: boolean): void {
    if (!job.active) return
    const nowMs = this.#base.now()
    if (this.#running === job) {
      job.executionMs += nowMs - job.segmentStartMs
      this.#running = null
    }
    job.active = false
    this.#activeJobs--
    this.#deadlines.remove(job)
    this.#ready.remove(job)
    const { metrics, task } = job
    metrics.responseTime.record(nowMs - job.releaseMs)
    metrics.executionTime.record(job.executionMs)
    if (!job.missed && nowMs >= job.deadlineMs + DEADLINE_TOLERANCE_MS) this.#missed(job, nowMs)
    if (!job.overran && job.executionMs > task.budgetMs) this.#overran(job, nowMs)
    if (!failed) {
      metrics.completed++
      job.consecutiveFailures = 0
    } else if (job.aborted && (error === job.controller.signal.reason || error instanceof SchedulerError)) {
      metrics.aborted++
    } else {
      const kind = errorKind(error)
      metrics.recordFailure(kind)
      job.consecutiveFailures++
      job.holdUntilMs = nowMs + backoffMs(task.restart, job.consecutiveFailures)
      this.#onEvent({ type: 'task-failed', taskId: task.id, atMs: nowMs, kind, error })
    }
    if ((job.missed || job.overran) && task.onMiss === 'skip-next') job.skipNext = true
    if (!Number.isNaN(job.pendingReleaseMs)) {
      const releaseMs = job.pendingReleaseMs
      job.pendingReleaseMs = NaN
      if (this.#state === 'running') {
        this.#tryRelease(job, releaseMs, nowMs)
        this.#rearm()
      }
    }
    this.#dispatch()
    if (this.#activeJobs === 0 && this.#idle !== undefined) this.#idle()
  }

  #missed(job: Job, nowMs: number): void {
    if (job.missed) return
    job.missed = true
    job.metrics.deadlineMisses++
    this.#onEvent({ type: 'deadline-missed', taskId: job.task.id, atMs: nowMs, releaseMs: job.releaseMs, deadlineMs: job.deadlineMs })
    this.#applyMissPolicy(job, 'deadline', `missed its deadline at ${job.deadlineMs.toFixed(3)} ms`)
  }

  #overran(job: Job, nowMs: number): void {
    job.overran = true
    job.metrics.budgetOverruns++
    this.#onEvent({ type: 'budget-overrun', taskId: job.task.id, atMs: nowMs, executionMs: job.executionMs, budgetMs: job.task.budgetMs })
    this.#applyMissPolicy(job, 'overrun', `ran ${job.executionMs.toFixed(3)} ms, over its ${job.task.budgetMs} ms budget`)
  }

  #applyMissPolicy(job: Job, kind: 'deadline' | 'overrun', what: string): void {
    if (job.task.onMiss === 'abort' && job.active && !job.aborted) {
      job.abort(new SchedulerError(kind, `task '${job.task.id}' ${what}`))
    } else if (job.task.onMiss === 'safe-state') {
      this.#onSafeState(job.task.id, kind)
    }
  }

  #backOfLevel(job: Job): void {
    job.turn = ++this.#turns
    job.newTurn = true
  }

  #job(taskId: string): Job {
    const job = this.#byId.get(taskId)
    if (job === undefined) throw new RangeError(`no task '${taskId}'`)
    return job
  }
}
