/**
 * A tiny discrete-event simulation of the dispatcher for checking the admission analysis from
 * outside: it shares no code with runtime/scheduler/admission*.ts. Jobs run in chunks of
 * nonPreemptiveMs (the whole budget when it is not smaller); the next job is chosen only at a
 * chunk boundary, in policy order (ARCHITECTURE.md, "Scheduling model"):
 * - priority: higher priority first, then earlier release, then table order;
 * - fifo: earlier release first, then table order;
 * - edf: earlier absolute deadline first, then earlier release, then table order.
 * Every job uses its whole budget. Releases happen at offsetMs + k·periodMs.
 */

export interface SimulatedTask {
  readonly periodMs: number
  readonly offsetMs: number
  readonly deadlineMs: number
  readonly budgetMs: number
  readonly nonPreemptiveMs: number
  readonly priority: number
}

export type SimulatedPolicy = 'priority' | 'fifo' | 'edf'

/**
 * What happens to a release while the task's previous job is still active:
 * - skip: it is dropped (the brief's model);
 * - hold: it waits for that job to end; a later one replaces it (the scheduler at HEAD);
 * - queue: every release waits its turn (the queued model of the literature).
 */
export type ReleaseRule = 'skip' | 'hold' | 'queue'

export interface SimulationResult {
  /** Longest response (release to completion) of a completed job, per task; 0 when none completed. */
  readonly maxResponseMs: readonly number[]
  /** Per task: some job finished after its deadline, or a release was dropped. */
  readonly missed: readonly boolean[]
}

interface SimJob {
  readonly task: number
  readonly releaseMs: number
  readonly deadlineMs: number
  remainingMs: number
}

/** Simulates releases in [0, horizonMs) and runs every job released in it to completion. */
export function simulate(tasks: readonly SimulatedTask[], policy: SimulatedPolicy, rule: ReleaseRule, horizonMs: number): SimulationResult {
  const queues: SimJob[][] = tasks.map(() => [])
  const nextReleaseMs = tasks.map(task => task.offsetMs)
  const maxResponseMs = tasks.map(() => 0)
  const missed = tasks.map(() => false)

  const releaseUpTo = (limitMs: number, inclusive: boolean): void => {
    tasks.forEach((task, index) => {
      const queue = queues[index]!
      for (let atMs = nextReleaseMs[index]!; (inclusive ? atMs <= limitMs : atMs < limitMs) && atMs < horizonMs; atMs = nextReleaseMs[index]!) {
        nextReleaseMs[index] = atMs + task.periodMs
        const job = { task: index, releaseMs: atMs, deadlineMs: atMs + task.deadlineMs, remainingMs: task.budgetMs }
        if (queue.length === 0 || rule === 'queue') queue.push(job)
        else if (rule === 'hold') {
          if (queue.length > 1) missed[index] = true // the held release is replaced: dropped
          queue.splice(1, 1, job)
        } else missed[index] = true
      }
    })
  }

  let nowMs = 0
  for (;;) {
    releaseUpTo(nowMs, true)
    const job = pick(queues, tasks, policy)
    if (job === null) {
      const nextMs = Math.min(...nextReleaseMs)
      if (nextMs >= horizonMs) break
      nowMs = nextMs
      continue
    }
    const task = tasks[job.task]!
    const runMs = Math.min(task.nonPreemptiveMs, job.remainingMs)
    releaseUpTo(nowMs + runMs, false) // released while the chunk runs: this job is still active
    nowMs += runMs
    job.remainingMs -= runMs
    if (job.remainingMs <= 1e-12) {
      queues[job.task]!.shift()
      const responseMs = nowMs - job.releaseMs
      maxResponseMs[job.task] = Math.max(maxResponseMs[job.task]!, responseMs)
      if (nowMs > job.deadlineMs + 1e-9) missed[job.task] = true
    }
  }
  return { maxResponseMs, missed }
}

/** The first job of each task's queue competes; the policy's order picks one. */
function pick(queues: readonly SimJob[][], tasks: readonly SimulatedTask[], policy: SimulatedPolicy): SimJob | null {
  let best: SimJob | null = null
  for (const queue of queues) {
    const job = queue[0]
    if (job !== undefined && (best === null || before(job, best, tasks, policy))) best = job
  }
  return best
}

function before(a: SimJob, b: SimJob, tasks: readonly SimulatedTask[], policy: SimulatedPolicy): boolean {
  const fifo = a.releaseMs !== b.releaseMs ? a.releaseMs < b.releaseMs : a.task < b.task
  if (policy === 'priority') {
    const pa = tasks[a.task]!.priority
    const pb = tasks[b.task]!.priority
    return pa !== pb ? pa > pb : fifo
  }
  if (policy === 'edf') return a.deadlineMs !== b.deadlineMs ? a.deadlineMs < b.deadlineMs : fifo
  return fifo
}

/** Least common multiple of integer periods. */
export function hyperperiodMs(periodsMs: readonly number[]): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))
  return periodsMs.reduce((lcm, period) => (lcm / gcd(lcm, period)) * period, 1)
}
