import { closeSync, fsync as fsyncOnThreadpool, fsyncSync, ftruncateSync, openSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { encodeSegmentStart, ID_RECORD_BYTES } from './record.ts'

/** One segment file, `<n>.log`. */
export interface Segment {
  readonly n: number
  readonly path: string
  /** Bytes in the file (what this process wrote or found valid at open). */
  bytes: number
  /** Unacknowledged, undropped data records whose newest copy is in this segment. */
  live: number
}

export interface SegmentLogOptions {
  readonly dir: string
  readonly segmentBytes: number
  readonly syncEveryMs: number
  readonly now: () => number
  readonly onError: (error: Error) => void
  /** The threadpool fsync (fs.fsync); see OutboxOptions.fsync. */
  readonly fsync?: AsyncFsync
}

/** fs.fsync's shape: the callback gets null, or the error, once the fsync has completed. */
export type AsyncFsync = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => void

/** How one threadpool fsync ended: undefined when everything it covered is on disk, else the error. */
export type SyncOutcome = Error | undefined

/** Failures of a directory fsync that only mean "this platform or filesystem cannot" (as in alarms/store.ts). */
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EBADF'])

export function segmentPath(dir: string, n: number): string {
  return join(dir, `${n}.log`)
}

/**
 * The files of an outbox: segments oldest first, the last one (the head) open for writing.
 * It knows bytes and files, not messages.
 *
 * Durability: write() returns once the bytes are in the OS (pwrite on the head's fd, so they
 * survive SIGKILL). syncNow() fsyncs the head (and the directory after a new segment was created,
 * so the new file's name survives power loss too) before returning; syncLater() does the same on
 * libuv's threadpool and resolves with the outcome. Rolling to a new segment fsyncs the old head
 * first, so every segment but the head is always fully on disk.
 *
 * Threadpool fsyncs run one at a time: at most one running and one queued behind it. A request
 * while one is queued joins it, because the queued one captures what is unsynced only when it
 * starts (an fsync covers the writes made before it is called, not the ones made while it runs).
 * So a burst of alarms costs at most two fsyncs, and a slow disk gets no queue of them.
 */
export class SegmentLog {
  readonly #options: SegmentLogOptions
  readonly #segments: Segment[]
  readonly #dirFd: number | undefined
  #headFd: number
  #bytes = 0
  #headUnsynced = false
  /** Segment creations so far, and how many of them a completed directory fsync covers. */
  #dirChanges = 0
  #dirSyncedChanges = 0
  #lastSyncAtMs: number
  readonly #fsync: AsyncFsync
  /** The threadpool fsync that has started and not completed. */
  #running: Promise<SyncOutcome> | undefined
  /** The one waiting for #running; it takes in everything written until it starts. */
  #queued: Promise<SyncOutcome> | undefined
  /** Closes of retired head fds, each after the fsync that may still use it. */
  #retired: Promise<void> = Promise.resolve()

  /**
   * Takes over `segments` (oldest first, as found at open, with their valid sizes). Creates
   * `1.log` when there are none; writes a segment-start record into a head that is empty (a torn
   * creation). Throws the fs error if the head cannot be opened.
   */
  constructor(options: SegmentLogOptions, segments: Segment[], nextId: number) {
    this.#options = options
    this.#segments = segments
    this.#dirFd = openDirectory(options.dir)
    this.#fsync = options.fsync ?? fsyncOnThreadpool
    this.#lastSyncAtMs = options.now()
    for (const segment of segments) this.#bytes += segment.bytes
    const head = segments.at(-1)
    if (head === undefined) {
      this.#headFd = this.#create(1, nextId)
    } else {
      this.#headFd = openSync(head.path, 'r+')
      // The process that wrote it may have been killed before its fsync: what it left in the
      // page cache is on disk only after ours (the first syncNow()), before anything is handed out.
      this.#headUnsynced = true
      if (head.bytes === 0) this.#writeAll(encodeSegmentStart(nextId))
    }
  }

  get segments(): readonly Segment[] {
    return this.#segments
  }

  get head(): Segment {
    return this.#segments.at(-1)!
  }

  /** Bytes of all segment files. */
  get bytes(): number {
    return this.#bytes
  }

  /** When the written-but-unsynced bytes are due for their group fsync (Clock ms), or null when everything is synced or a queued fsync will take them in. */
  get syncDueAtMs(): number | null {
    return this.#queued === undefined && this.#unsynced() ? this.#lastSyncAtMs + this.#options.syncEveryMs : null
  }

  /** Bytes that writing a record of `recordBytes` adds, counting the start record of a new segment if it needs one. */
  costOf(recordBytes: number): number {
    return this.#wouldRoll(recordBytes) ? recordBytes + ID_RECORD_BYTES : recordBytes
  }

  /**
   * Appends one record to the head, first rolling to a new segment (whose start record carries
   * `nextId`) when the head would grow past segmentBytes. Returns the segment written to. Throws
   * the fs error; a partial write is cut off again, so the file still ends on a record boundary.
   */
  write(record: Buffer, nextId: number): Segment {
    if (this.#wouldRoll(record.length)) this.roll(nextId)
    this.#writeAll(record)
    return this.head
  }

  /** Starts a new head segment. The old head is fsynced (if needed) and closed. */
  roll(nextId: number): void {
    const oldFd = this.#headFd
    if (this.#headUnsynced) fsyncSync(oldFd)
    this.#headUnsynced = false
    this.#headFd = this.#create(this.head.n + 1, nextId)
    // A threadpool fsync may be running on the old fd (a queued one takes the new head's fd when it
    // starts): close the old one after it.
    const running = this.#running ?? Promise.resolve(undefined)
    this.#retired = Promise.all([this.#retired, running]).then(() => closeQuietly(oldFd))
  }

  /** fsyncs the head now (and the directory if a segment was created since the last sync). Throws the fs error. */
  syncNow(): void {
    this.#lastSyncAtMs = this.#options.now()
    if (this.#headUnsynced) {
      this.#headUnsynced = false
      fsyncSync(this.#headFd)
    }
    // Even if a threadpool fsync of the directory is queued: this caller needs it done now.
    if (this.#dirUnsynced()) {
      const changes = this.#dirChanges
      syncDirectory(this.#dirFd)
      this.#dirSyncedChanges = changes
    }
  }

  /** Starts the group fsync if it is due at `nowMs` and none is running or queued (a slow disk gets one fsync at a time, not a queue of them). */
  syncIfDue(nowMs: number): void {
    const dueAtMs = this.syncDueAtMs
    if (dueAtMs !== null && nowMs >= dueAtMs && this.#running === undefined) void this.syncLater()
  }

  /**
   * fsyncs everything written so far on the threadpool, after the fsync running now if there is
   * one; resolves with the outcome once that is done. Never rejects: a failure also goes to
   * onError, and the bytes count as unsynced again (the next fsync tries again).
   */
  syncLater(): Promise<SyncOutcome> {
    if (this.#queued !== undefined) return this.#queued
    // Everything written was taken in by the running fsync (or is on disk already).
    if (!this.#unsynced()) return this.#running ?? Promise.resolve(undefined)
    this.#lastSyncAtMs = this.#options.now()
    const queued: Promise<SyncOutcome> = (this.#running ?? Promise.resolve(undefined)).then(async () => {
      this.#queued = undefined
      this.#running = queued
      const outcome = await this.#syncWritten()
      if (this.#running === queued) this.#running = undefined
      return outcome
    })
    this.#queued = queued
    return queued
  }

  /** Deletes the oldest segment (never the head). Throws the fs error, and the segment stays. */
  deleteOldest(): void {
    const oldest = this.#segments[0]
    if (oldest === undefined || oldest === this.head) throw new RangeError('the head segment is never deleted')
    unlinkSync(oldest.path)
    this.#segments.shift()
    this.#bytes -= oldest.bytes
  }

  /** Waits for the running and queued fsyncs, fsyncs what is still unsynced and closes the files. */
  async close(): Promise<void> {
    await this.syncLater()
    for (let pending = this.#queued ?? this.#running; pending !== undefined; pending = this.#queued ?? this.#running) await pending
    await this.#retired
    closeSync(this.#headFd)
    if (this.#dirFd !== undefined) closeSync(this.#dirFd)
  }

  #dirUnsynced(): boolean {
    return this.#dirChanges > this.#dirSyncedChanges
  }

  #unsynced(): boolean {
    return this.#headUnsynced || this.#dirUnsynced()
  }

  /** One threadpool fsync of the head (and of the directory, after a new segment), taking in what is unsynced now. */
  async #syncWritten(): Promise<SyncOutcome> {
    const fd = this.#headFd
    const head = this.#headUnsynced
    const dirChanges = this.#dirChanges
    this.#headUnsynced = false
    try {
      if (head) await fsyncAsync(this.#fsync, fd)
      if (dirChanges > this.#dirSyncedChanges) {
        await fsyncDirectoryAsync(this.#fsync, this.#dirFd)
        this.#dirSyncedChanges = Math.max(this.#dirSyncedChanges, dirChanges)
      }
      return undefined
    } catch (error) {
      this.#headUnsynced ||= head
      const failure = new Error(`cannot fsync the outbox in ${this.#options.dir}: ${reasonOf(error)}`, { cause: error })
      this.#options.onError(failure)
      return failure
    }
  }

  #wouldRoll(recordBytes: number): boolean {
    return this.head.bytes + recordBytes > this.#options.segmentBytes && this.head.bytes > ID_RECORD_BYTES
  }

  /** Creates `<n>.log` holding only its start record and makes it the head; returns its fd. */
  #create(n: number, nextId: number): number {
    const path = segmentPath(this.#options.dir, n)
    const fd = openSync(path, 'wx')
    const start = encodeSegmentStart(nextId)
    try {
      writeFully(fd, start, 0)
    } catch (error) {
      closeSync(fd)
      unlinkSync(path)
      throw error
    }
    this.#segments.push({ n, path, bytes: start.length, live: 0 })
    this.#bytes += start.length
    this.#headUnsynced = true
    this.#dirChanges++
    return fd
  }

  #writeAll(record: Buffer): void {
    const head = this.head
    try {
      writeFully(this.#headFd, record, head.bytes)
    } catch (error) {
      try {
        ftruncateSync(this.#headFd, head.bytes)
      } catch {
        // The open scan skips a partial record; the write error is what the caller needs.
      }
      throw error
    }
    head.bytes += record.length
    this.#bytes += record.length
    this.#headUnsynced = true
  }
}

/** pwrite until every byte is written (a regular file may take fewer bytes at once, e.g. near ENOSPC). */
function writeFully(fd: number, bytes: Buffer, position: number): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, position + done)
}

function fsyncAsync(fsync: AsyncFsync, fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, error => (error ? reject(error) : resolve())))
}

async function fsyncDirectoryAsync(fsync: AsyncFsync, dirFd: number | undefined): Promise<void> {
  if (dirFd === undefined) return
  try {
    await fsyncAsync(fsync, dirFd)
  } catch (error) {
    if (!DIR_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd)
  } catch {
    // Its data was fsynced before the roll; a failing close loses nothing.
  }
}

function openDirectory(dir: string): number | undefined {
  try {
    return openSync(dir, 'r')
  } catch {
    return undefined // Windows cannot open a directory; its renames and creations are journaled anyway.
  }
}

function syncDirectory(dirFd: number | undefined): void {
  if (dirFd === undefined) return
  try {
    fsyncSync(dirFd)
  } catch (error) {
    if (!DIR_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error
  }
}

export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
