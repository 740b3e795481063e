import { readFileSync } from 'node:fs'

/**
 * CPU time used on the whole machine, from the first line of /proc/stat (proc(5)): jiffies
 * spent in any state but idle and iowait, in ms. Used to see how much of the machine other
 * processes used during a run, since a busy neighbour changes every wake-up figure.
 * Returns NaN where /proc/stat cannot be read.
 */
export function machineBusyMs(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number)
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields
    return ((user + nice + system + irq + softirq + steal) * 1000) / JIFFIES_PER_S
  } catch {
    return Number.NaN
  }
}

/** USER_HZ: 100 on every Linux architecture Node supports (sysconf(_SC_CLK_TCK)). */
const JIFFIES_PER_S = 100

/** CPU time of this process (all threads), ms. */
export function processBusyMs(): number {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/** How one kernel thread used the CPU over a run, % of one core. */
export interface ThreadUse {
  /** Time on a CPU. */
  readonly cpuPct: number
  /** Time runnable but waiting for a CPU: high when neighbours compete for the cores. */
  readonly waitPct: number
}

/** A reading of one thread's CPU time, to compare with a later one. */
export interface ThreadCpu {
  since(wallMs: number): ThreadUse
}

/**
 * CPU time of thread `tid` of this process from /proc/self/task/<tid>/schedstat: on-CPU and
 * run-queue wait time in ns (Documentation/scheduler/sched-stats.rst), so unlike
 * process.cpuUsage() it tells the timing path's threads from the rest (V8's platform threads,
 * an in-process load). NaN where the file cannot be read.
 */
export function threadCpu(tid: number): ThreadCpu {
  const [runNs, waitNs] = readSchedstat(tid)
  return {
    since: (wallMs: number): ThreadUse => {
      const [runNowNs, waitNowNs] = readSchedstat(tid)
      return { cpuPct: (runNowNs - runNs) / 1e4 / wallMs, waitPct: (waitNowNs - waitNs) / 1e4 / wallMs }
    },
  }
}

function readSchedstat(tid: number): [number, number] {
  try {
    const [run = Number.NaN, wait = Number.NaN] = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').trim().split(' ').map(Number)
    return [run, wait]
  } catch {
    return [Number.NaN, Number.NaN]
  }
}
