import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import * as z from 'zod'
import { ALARM_STATES } from '../../tasks/vocabulary.ts'
import { formatPath } from '../config/config-error.ts'

/**
 * One alarm's state as the store keeps it: a structural copy of alarm.ts's PersistedAlarm, so the
 * store does not depend on the engine. Times are on the runtime Clock (ms); they must be finite
 * or null (JSON has no Infinity: an endless shelve is not representable).
 */
export interface StoredAlarm {
  readonly id: string
  readonly state: (typeof ALARM_STATES)[number]
  readonly acknowledged: boolean
  readonly conditionActive: boolean
  readonly shelvedUntilMs: number | null
  readonly raisedAtMs: number | null
}

export interface AlarmStoreOptions {
  /** e.g. <data-dir>/alarms.json. One store per file: the temporary file's name is per process. */
  readonly file: string
  /** Runtime Clock ms. */
  readonly now: () => number
  /** Epoch ms (Date.now in production, injected in tests). */
  readonly wallNow: () => number
  /**
   * Called when a save fails (disk full, permissions): the runtime reports it; saving is retried
   * on the next change. Without it, failures become process warnings (never silently lost).
   */
  readonly onError?: (error: Error) => void
}

export interface LoadedAlarms {
  readonly alarms: ReadonlyMap<string, StoredAlarm>
  /** Problems found reading the file (corrupt, unknown version, bad entries): each a sentence naming the file and what was wrong. The runtime starts with the rest. */
  readonly problems: readonly string[]
}

const FORMAT_VERSION = 1

/** The envelope: anything else is "not our format" and is kept aside whole. */
const StoreFile = z.object({
  version: z.literal(FORMAT_VERSION),
  savedAt: z.string(),
  alarms: z.array(z.unknown()),
})

/** One entry; times are wall-clock epoch ms, since Clock ms mean nothing after a restart. */
const StoreEntry = z.object({
  id: z.string().min(1),
  state: z.enum(ALARM_STATES),
  acknowledged: z.boolean(),
  conditionActive: z.boolean(),
  shelvedUntil: z.number().nullable(),
  raisedAt: z.number().nullable(),
})
type StoreEntry = z.infer<typeof StoreEntry>

/** Failures of the directory fsync that only mean "this platform or filesystem cannot" (Windows: EISDIR/EPERM). */
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EBADF'])

/**
 * Alarm states that survive a restart (latched and unacknowledged alarms must not be forgotten,
 * IEC 60601-1-8 6.12 / ISA-18.2).
 *
 * Writes are atomic: the snapshot goes to `<file>.tmp-<pid>` in the same directory, is fsynced,
 * renamed over `<file>`, and the directory is fsynced so the rename itself survives power loss
 * (reliability.md 5.4). A reader sees the old file or the new one, never a mix.
 *
 * save() never waits on the disk: it converts the snapshot to wall-clock times and queues it. At
 * most one write is in flight; saves made meanwhile are coalesced, and only the newest is written
 * next. A failed write goes to onError; the next save tries again with its own snapshot.
 */
export class AlarmStore {
  readonly #file: string
  readonly #now: () => number
  readonly #wallNow: () => number
  readonly #onError: (error: Error) => void
  /** The newest snapshot not yet being written (wall-clock times). */
  #pending: StoreEntry[] | undefined
  /** The running write loop, until it has nothing left to write. */
  #draining: Promise<void> | undefined
  #directoryReady = false
  #writes = 0

  constructor(options: AlarmStoreOptions) {
    this.#file = options.file
    this.#now = options.now
    this.#wallNow = options.wallNow
    this.#onError = options.onError ?? (error => process.emitWarning(error.message))
  }

  /** Completed writes. */
  get writes(): number {
    return this.#writes
  }

  /**
   * Reads the file. No file: no alarms, no problems. A file that is not JSON, or not our format:
   * no alarms and one problem, and the file is kept aside as `<file>.corrupt-<wall ms>` so the next
   * save does not overwrite it. Entries that fail validation are skipped, each named in a problem.
   * Times are converted to the runtime clock: t_clock = now() + (t_wall - wallNow()).
   * Leftover temporary files from a crash are removed (they never hold the current state).
   */
  async load(): Promise<LoadedAlarms> {
    await this.#removeLeftoverTemporaries()
    let text: string
    try {
      text = await readFile(this.#file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { alarms: new Map(), problems: [] }
      return { alarms: new Map(), problems: [`${this.#file}: cannot read the saved alarm states (${reasonOf(error)}); starting without them.`] }
    }
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch {
      return { alarms: new Map(), problems: [await this.#keepAside('it is not valid JSON')] }
    }
    const parsed = StoreFile.safeParse(data)
    if (!parsed.success) return { alarms: new Map(), problems: [await this.#keepAside(envelopeProblem(data, parsed.error))] }
    return this.#entries(parsed.data.alarms)
  }

  /** Queues the current states to be written; returns at once (see the class comment). */
  save(alarms: readonly StoredAlarm[]): void {
    const offsetMs = this.#wallNow() - this.#now()
    const toWall = (atMs: number | null): number | null => (atMs === null ? null : Math.round(atMs + offsetMs))
    this.#pending = alarms.map(alarm => ({
      id: alarm.id,
      state: alarm.state,
      acknowledged: alarm.acknowledged,
      conditionActive: alarm.conditionActive,
      shelvedUntil: toWall(alarm.shelvedUntilMs),
      raisedAt: toWall(alarm.raisedAtMs),
    }))
    this.#draining ??= this.#drain()
  }

  /** Resolves when everything saved so far has been written (or reported to onError); never rejects. */
  flush(): Promise<void> {
    return this.#draining ?? Promise.resolve()
  }

  async #drain(): Promise<void> {
    // Let the caller's synchronous code finish first: saves made in the same turn coalesce.
    await Promise.resolve()
    try {
      for (let entries = this.#pending; entries !== undefined; entries = this.#pending) {
        this.#pending = undefined
        try {
          await this.#write(entries)
          this.#writes++
        } catch (error) {
          this.#directoryReady = false
          this.#report(new Error(`cannot save alarm states to ${this.#file}: ${reasonOf(error)}`, { cause: error }))
        }
      }
    } finally {
      this.#draining = undefined
    }
  }

  async #write(entries: readonly StoreEntry[]): Promise<void> {
    const directory = dirname(this.#file)
    if (!this.#directoryReady) {
      await mkdir(directory, { recursive: true })
      this.#directoryReady = true
    }
    const text = `${JSON.stringify({ version: FORMAT_VERSION, savedAt: new Date(this.#wallNow()).toISOString(), alarms: entries }, null, 2)}\n`
    const temporary = `${this.#file}.tmp-${process.pid}`
    try {
      const handle = await open(temporary, 'w')
      try {
        await handle.writeFile(text, 'utf8')
        await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temporary, this.#file)
    } catch (error) {
      await unlink(temporary).catch(() => undefined)
      throw error
    }
    await syncDirectory(directory)
  }

  #report(error: Error): void {
    try {
      this.#onError(error)
    } catch {
      // A throwing reporter must not stop later saves.
    }
  }

  #entries(raw: readonly unknown[]): LoadedAlarms {
    const alarms = new Map<string, StoredAlarm>()
    const problems: string[] = []
    const nowMs = this.#now()
    const wallMs = this.#wallNow()
    const toClock = (atWallMs: number | null): number | null => (atWallMs === null ? null : nowMs + (atWallMs - wallMs))
    raw.forEach((item, index) => {
      const entry = StoreEntry.safeParse(item)
      const name = nameOf(item, index)
      if (!entry.success) {
        const what = entry.error.issues.map(issue => `${formatPath(issue.path)}: ${issue.message}`).join('; ')
        problems.push(`${this.#file}: ${name} was skipped: ${what}.`)
        return
      }
      const { id, state, acknowledged, conditionActive, shelvedUntil, raisedAt } = entry.data
      if (alarms.has(id)) {
        problems.push(`${this.#file}: ${name} appears more than once; the first entry is used.`)
        return
      }
      alarms.set(id, { id, state, acknowledged, conditionActive, shelvedUntilMs: toClock(shelvedUntil), raisedAtMs: toClock(raisedAt) })
    })
    return { alarms, problems }
  }

  /** Moves a file we cannot use out of the way, so it is neither overwritten nor read again. */
  async #keepAside(what: string): Promise<string> {
    const aside = `${this.#file}.corrupt-${this.#wallNow()}`
    try {
      await rename(this.#file, aside)
      return `${this.#file}: ${what}; no alarm states were restored, and the file was kept as ${aside}.`
    } catch (error) {
      return `${this.#file}: ${what}; no alarm states were restored, and it could not be kept aside (${reasonOf(error)}).`
    }
  }

  async #removeLeftoverTemporaries(): Promise<void> {
    const directory = dirname(this.#file)
    const prefix = `${basename(this.#file)}.tmp-`
    const names = await readdir(directory).catch(() => [] as string[])
    for (const name of names) {
      if (name.startsWith(prefix)) await unlink(join(directory, name)).catch(() => undefined)
    }
  }
}

/** fsync of the directory makes the rename durable; some platforms cannot open or sync a directory. */
async function syncDirectory(directory: string): Promise<void> {
  try {
    const handle = await open(directory, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch (error) {
    if (!DIR_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error
  }
}

function envelopeProblem(data: unknown, error: z.ZodError): string {
  const version = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>).version : undefined
  if (version !== undefined && version !== FORMAT_VERSION) return `it has version ${JSON.stringify(version)}, and only version ${FORMAT_VERSION} is known`
  const what = error.issues.map(issue => `${formatPath(issue.path)}: ${issue.message}`).join('; ')
  return `it is not an alarm state file (${what})`
}

function nameOf(item: unknown, index: number): string {
  const id = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).id : undefined
  return typeof id === 'string' && id !== '' ? `alarm '${id}' (alarms[${index}])` : `alarms[${index}] (no id)`
}

/** The error's own message (Node's include the code and path); never a stack. */
function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
