import { execFile } from 'node:child_process'
import { readlinkSync, writeFileSync } from 'node:fs'

/**
 * Linux knobs for the calling thread. Each returns 'set' or the reason it was refused and never
 * throws for lack of permission or of a /proc file: a clock without them is less precise, not broken.
 * docs/timing.md gives the measured effect of each.
 */

/** What a tuning attempt achieved: 'set', 'off' (not asked), or why not (an errno code and message). */
export type TuningOutcome = string

/**
 * The kernel thread id (tid) of the calling thread, from /proc/thread-self ("<pid>/task/<tid>",
 * proc(5)). Node exposes no gettid(); worker threads are ordinary kernel threads, so this is the
 * id chrt and /proc/<tid>/* take. Returns a reason string when it cannot be read.
 */
export function currentThreadId(): number | string {
  try {
    const link = readlinkSync('/proc/thread-self')
    const match = /\/task\/(\d+)$/.exec(link)
    return match === null ? `unexpected /proc/thread-self target '${link}'` : Number(match[1])
  } catch (error) {
    return describe(error)
  }
}

/**
 * Sets the timer slack of the thread `tid` (the calling thread: writing another task's value needs
 * CAP_SYS_NICE) to `slackNs`. The default slack is 50 µs for SCHED_OTHER threads and is added to
 * every futex/epoll/nanosleep timeout, so it dominates a ~1 ms wake-up (proc(5),
 * /proc/[pid]/timerslack_ns, Linux >= 4.6). SCHED_FIFO threads have no slack anyway.
 */
export function setTimerSlack(tid: number, slackNs: number): TuningOutcome {
  try {
    writeFileSync(`/proc/${tid}/timerslack_ns`, String(slackNs))
    return 'set'
  } catch (error) {
    return describe(error)
  }
}

/**
 * Makes thread `tid` SCHED_FIFO at `priority` (1..99) with `chrt -f -p <priority> <tid>`
 * (util-linux). Needs CAP_SYS_NICE or an RLIMIT_RTPRIO >= priority (systemd `LimitRTPRIO=`).
 * Resolves 'set' or chrt's reason; never rejects.
 */
export function setRealtimePriority(tid: number, priority: number): Promise<TuningOutcome> {
  if (!Number.isInteger(priority) || priority < 1 || priority > 99) {
    throw new RangeError(`realtime priority must be an integer in 1..99, got ${priority}`)
  }
  return new Promise(resolve => {
    execFile('chrt', ['-f', '-p', String(priority), String(tid)], { timeout: 5000 }, (error, _stdout, stderr) => {
      if (error === null) resolve('set')
      else resolve(stderr.trim() === '' ? describe(error) : `chrt: ${stderr.trim()}`)
    })
  })
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  const message = error instanceof Error ? error.message : String(error)
  return code === undefined ? message : `${code}: ${message}`
}
