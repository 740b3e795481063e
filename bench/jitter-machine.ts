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
