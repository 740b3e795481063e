import { join } from 'node:path'
import type { Clock } from '../clock.ts'
import type { TaskTable } from '../../tasks/schema.ts'
import type { RunStatus } from '../rt-thread/host.ts'
import { runHealthMonitor } from './health-monitor.ts'
import { healthSample, healthTasks } from './health-tasks.ts'
import type { Verdict } from './health.ts'
import { StartHistory, type CrashLoopPolicy, type StartDecision } from './start-history.ts'
import { serviceEnvironment, SystemdNotifier } from './systemd.ts'

/** How often health is judged when no systemd watchdog sets the pace. */
const DEFAULT_HEALTH_INTERVAL_MS = 5_000

/** Healthy this long without a break, a start counts as good for the crash-loop guard. */
export const STABLE_AFTER_MS = 120_000

export interface SupervisionOptions {
  readonly clock: Clock
  readonly wallNow: () => number
  /** Where starts.json lives. */
  readonly dataDir: string
  /** --safe-mode-after/--safe-mode-window; null: the guard only notes starts when forced. */
  readonly crashLoop: CrashLoopPolicy | null
  /** --safe-mode */
  readonly forceSafeMode: boolean
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void
  readonly env?: NodeJS.ProcessEnv
}

/**
 * What `edgert run` does as a service (README, "Run on a Raspberry Pi"): the crash-loop guard's
 * decision before anything starts, then, once the runtime runs, READY=1 to systemd and a health
 * monitor that pings its watchdog only while the executive is healthy, and marks the start
 * stable. Without systemd (no NOTIFY_SOCKET) the monitor still runs: unhealthy windows are
 * logged, and the guard still learns which starts were good.
 */
export class Supervision {
  readonly #options: SupervisionOptions
  readonly #notifier: SystemdNotifier | null
  readonly #watchdogMs: number | null
  readonly #history: StartHistory | null
  readonly decision: StartDecision
  readonly #stop = new AbortController()
  #monitor: Promise<void> | undefined

  /** Throws NotifySocketError when systemd asks for notifications that cannot be sent. */
  constructor(options: SupervisionOptions) {
    this.#options = options
    const env = serviceEnvironment(options.env)
    this.#notifier = SystemdNotifier.open(env)
    this.#watchdogMs = env.watchdogMs
    const guarded = options.crashLoop !== null || options.forceSafeMode
    this.#history = guarded ? StartHistory.open(join(options.dataDir, 'starts.json'), options.wallNow()) : null
    this.decision = this.#history?.begin(options.crashLoop, options.wallNow(), options.forceSafeMode) ?? { safeMode: false, reason: null, failedInWindow: 0, problem: null }
    if (this.decision.problem !== null) options.log('warn', this.decision.problem)
  }

  get safeMode(): boolean {
    return this.decision.safeMode
  }

  /** Whether a systemd watchdog is armed (WatchdogSec), and its ping interval. */
  get watchdogIntervalMs(): number | null {
    return this.#watchdogMs === null ? null : this.#watchdogMs / 2
  }

  /** The runtime runs: tell systemd, and start judging its health. */
  async started(table: TaskTable, status: () => Promise<RunStatus>, summary: string): Promise<void> {
    const { clock, log } = this.#options
    const text = this.safeMode ? `SAFE MODE: ${this.decision.reason ?? ''}` : summary
    await this.#send(notifier => notifier.ready(text))
    if (this.#watchdogMs !== null) await this.#send(notifier => notifier.watchdog())
    this.#monitor = runHealthMonitor({
      clock,
      intervalMs: this.watchdogIntervalMs ?? DEFAULT_HEALTH_INTERVAL_MS,
      // In safe mode no task runs: an answer from the runtime is all health means.
      tasks: this.safeMode ? [] : healthTasks(table),
      sample: async () => healthSample(clock.now(), await status()),
      onHealthy: () => (this.#watchdogMs === null ? Promise.resolve() : this.#send(notifier => notifier.watchdog())),
      onChange: verdict => this.#changed(verdict, text),
      stableAfterMs: STABLE_AFTER_MS,
      onStable: () => {
        if (this.safeMode) return // a calm safe mode says nothing about the cause
        this.#history?.markStable()
        log('info', `healthy for ${STABLE_AFTER_MS / 1000} s: this start counts as good for the crash-loop guard`)
      },
      signal: this.#stop.signal,
    })
  }

  /** A clean stop: STOPPING=1, and the start is not counted as failed. */
  async stopping(clean: boolean): Promise<void> {
    this.#stop.abort()
    await this.#monitor
    await this.#send(notifier => notifier.stopping(clean ? 'stopping' : 'stopping after a failure'))
    if (clean) this.#history?.markStopped()
    this.#notifier?.close()
  }

  #changed(verdict: Verdict, runningText: string): void {
    const { log } = this.#options
    const pinging = this.#watchdogMs === null ? '' : verdict.healthy ? '; watchdog pings resume' : '; the systemd watchdog is not pinged, so systemd restarts the service if this lasts'
    if (verdict.healthy) log('info', `executive healthy again${pinging}`)
    else log('error', `executive unhealthy: ${verdict.problems.join('; ')}${pinging}`)
    void this.#send(notifier => notifier.status(verdict.healthy ? runningText : `UNHEALTHY: ${verdict.problems.join('; ')}`))
  }

  /** A notification that fails is logged; it never stops the runtime. */
  async #send(what: (notifier: SystemdNotifier) => Promise<void>): Promise<void> {
    if (this.#notifier === null) return
    try {
      await what(this.#notifier)
    } catch (error) {
      this.#options.log('warn', `systemd notification failed: ${(error as Error).message}`)
    }
  }
}
