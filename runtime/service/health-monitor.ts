import type { Clock } from '../clock.ts'
import { judgeHealth, type HealthSample, type HealthTask, type Verdict } from './health.ts'

export interface HealthMonitorOptions {
  readonly clock: Clock
  /** How often health is judged (and the watchdog pinged): half of WatchdogSec under systemd. */
  readonly intervalMs: number
  readonly tasks: readonly HealthTask[]
  /** A look at the runtime; one that has not answered within intervalMs counts as unhealthy. */
  readonly sample: () => Promise<HealthSample>
  /** Called after each healthy window (the watchdog ping). */
  readonly onHealthy: () => Promise<void>
  /** Called when the verdict changes from healthy to not or back (the first verdict is reported only if unhealthy). */
  readonly onChange: (verdict: Verdict) => void
  /** Called once, when the runtime has been healthy for this long without a break (the crash-loop guard's "stable"). */
  readonly stableAfterMs?: number
  readonly onStable?: () => void
  readonly signal: AbortSignal
}

/**
 * Looks at the runtime every interval, judges the window since the last look (health.ts) and
 * pings only when it was healthy. Resolves when `signal` aborts. A look that does not answer
 * (the rt thread is blocked, or the main thread was) is a problem of its own, and the next
 * window starts from the next look that does answer.
 */
export async function runHealthMonitor(options: HealthMonitorOptions): Promise<void> {
  const { clock, intervalMs, signal } = options
  let previous = await look(options)
  let healthy = true
  let healthySinceMs = clock.now()
  let stableSaid = false
  while (!signal.aborted) {
    try {
      await clock.sleep(intervalMs, signal)
    } catch {
      return
    }
    const current = await look(options)
    const verdict: Verdict = current === null ? { healthy: false, problems: [`the runtime did not answer within ${intervalMs} ms`] } : previous === null ? { healthy: true, problems: [] } : judgeHealth(options.tasks, previous, current)
    if (current !== null) previous = current
    if (verdict.healthy !== healthy) options.onChange(verdict)
    if (verdict.healthy && !healthy) healthySinceMs = clock.now()
    healthy = verdict.healthy
    if (!healthy) continue
    await options.onHealthy()
    if (!stableSaid && options.stableAfterMs !== undefined && clock.now() - healthySinceMs >= options.stableAfterMs) {
      stableSaid = true
      options.onStable?.()
    }
  }
}

/** One sample, or null when it did not come within the interval (or failed). */
async function look(options: HealthMonitorOptions): Promise<HealthSample | null> {
  const timeout = new AbortController()
  const late = options.clock.sleep(options.intervalMs, timeout.signal).then(
    () => null,
    () => null,
  )
  try {
    return await Promise.race([options.sample().catch(() => null), late])
  } finally {
    timeout.abort()
  }
}
