import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'

/**
 * The crash-loop guard (README, "Run on a Raspberry Pi"). Every start of `edgert run` is noted
 * in `<data-dir>/starts.json` as running; it becomes stable once the runtime has been healthy for
 * a while, or stopped when it ends cleanly. A start still marked running when the next one begins
 * ended without either (a crash, a watchdog kill, a power cut during start-up): a failed start.
 * After `failedStarts` of them within `windowMs` the next start is in safe mode: outputs at their
 * safe levels, no tasks, telemetry and status only, until the window has passed or the history is
 * reset (`edgert service reset`). Wall-clock time, because it must survive a reboot; a clock that
 * jumps forward (a Pi without RTC getting NTP) only ends the window early.
 */
export interface CrashLoopPolicy {
  readonly failedStarts: number
  readonly windowMs: number
}

type Outcome = 'running' | 'stable' | 'stopped' | 'failed'

interface StartEntry {
  /** Epoch ms. */
  readonly at: number
  outcome: Outcome
  readonly safeMode: boolean
}

export interface StartDecision {
  readonly safeMode: boolean
  /** Why, for the log, the status topic and systemctl status; null when not in safe mode. */
  readonly reason: string | null
  readonly failedInWindow: number
  /** Something about the history file that the user should hear (a corrupt file was set aside). */
  readonly problem: string | null
}

/** Entries kept: enough for any sensible window, bounded so a long life does not grow the file. */
const MAX_ENTRIES = 100

export class StartHistory {
  readonly #file: string
  readonly #entries: StartEntry[]
  #current: StartEntry | undefined
  readonly #problem: string | null

  private constructor(file: string, entries: StartEntry[], problem: string | null) {
    this.#file = file
    this.#entries = entries
    this.#problem = problem
  }

  /** Reads the history; a file that cannot be read as one is set aside (`.corrupt-<ms>`) and the history starts afresh. */
  static open(file: string, nowWallMs: number): StartHistory {
    if (!existsSync(file)) return new StartHistory(file, [], null)
    try {
      return new StartHistory(file, parseEntries(JSON.parse(readFileSync(file, 'utf8'))), null)
    } catch (error) {
      const aside = `${file}.corrupt-${nowWallMs}`
      renameSync(file, aside)
      return new StartHistory(file, [], `start history ${file} could not be read (${(error as Error).message}); set aside as ${aside}, counting failed starts afresh`)
    }
  }

  /**
   * Notes this start and decides whether it is in safe mode. `force` (the --safe-mode flag) is
   * safe mode whatever the history says. Throws only if the file cannot be written.
   */
  begin(policy: CrashLoopPolicy | null, nowWallMs: number, force = false): StartDecision {
    for (const entry of this.#entries) if (entry.outcome === 'running') entry.outcome = 'failed'
    const since = nowWallMs - (policy?.windowMs ?? 0)
    const failed = this.#entries.filter(entry => entry.outcome === 'failed' && entry.at >= since)
    const looping = policy !== null && failed.length >= policy.failedStarts
    const safeMode = force || looping
    const reason = force ? 'started with --safe-mode' : looping ? `${failed.length} failed starts in the last ${formatWindow(policy.windowMs)} (crash-loop guard); outputs held safe, no tasks run. Fix the cause, then: edgert service reset, and restart` : null
    this.#current = { at: nowWallMs, outcome: 'running', safeMode }
    this.#entries.push(this.#current)
    this.#entries.splice(0, Math.max(0, this.#entries.length - MAX_ENTRIES))
    this.#write()
    return { safeMode, reason, failedInWindow: failed.length, problem: this.#problem }
  }

  /** The runtime has been healthy long enough: this start did not fail. */
  markStable(): void {
    this.#mark('stable')
  }

  /** A clean stop (a signal or --duration): not a failed start either. */
  markStopped(): void {
    this.#mark('stopped')
  }

  #mark(outcome: Outcome): void {
    if (this.#current === undefined || this.#current.outcome === 'stopped') return
    this.#current.outcome = outcome
    this.#write()
  }

  #write(): void {
    writeHistory(this.#file, this.#entries)
  }
}

/** Forgets every start noted (`edgert service reset`); false if there was no history. */
export function resetStartHistory(file: string): boolean {
  if (!existsSync(file)) return false
  writeHistory(file, [])
  return true
}

/** Written to a temporary file, fsynced and renamed over the old one: a power cut leaves one or the other. */
function writeHistory(file: string, entries: readonly StartEntry[]): void {
  mkdirSync(dirname(file), { recursive: true })
  const temporary = `${file}.tmp`
  const fd = openSync(temporary, 'w')
  try {
    writeSync(fd, `${JSON.stringify({ version: 1, starts: entries }, null, 1)}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temporary, file)
}

function parseEntries(json: unknown): StartEntry[] {
  const starts = (json as { version?: unknown; starts?: unknown } | null)?.starts
  if ((json as { version?: unknown }).version !== 1 || !Array.isArray(starts)) throw new Error('expected {"version": 1, "starts": [...]}')
  return starts.map((entry: unknown, index) => {
    const { at, outcome, safeMode } = (entry ?? {}) as Record<string, unknown>
    if (typeof at !== 'number' || !Number.isFinite(at)) throw new Error(`starts[${index}].at: expected epoch ms`)
    if (outcome !== 'running' && outcome !== 'stable' && outcome !== 'stopped' && outcome !== 'failed') throw new Error(`starts[${index}].outcome: expected running, stable, stopped or failed`)
    return { at, outcome, safeMode: safeMode === true }
  })
}

function formatWindow(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`
}
