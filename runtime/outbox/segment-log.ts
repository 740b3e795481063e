import { closeSync, fsync, fsyncSync, ftruncateSync, openSync, unlinkSync, writeSync } from 'node:fs'
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
}

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
 * libuv's threadpool, for group commit. Rolling to a new segment fsyncs the old head first, so
 * every segment but the head is always fully on disk.
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
  /** Threadpool fsyncs queued or running. */
  #syncsQueued = 0
  #lastSyncAtMs: number
  /** Threadpool fsyncs (and closes of retired fds) run one after the other on this chain. */
  #chain: Promise<void> = Promise.resolve()

  /**
   * Takes over `segments` (oldest first, as found at open, with their valid sizes). Creates
   * `1.log` when there are none; writes a segment-start record into a head that is empty (a torn
   * creation). Throws the fs error if the head cannot be opened.
   */
  constructor(options: SegmentLogOptions, segments: Segment[], nextId: number) {
    this.#options = options
    this.#segments = segments
    this.#dirFd = openDirectory(options.dir)
    this.#lastSyncAtMs = options.now()
    for (const segment of segments) this.#bytes += segment.bytes
    const head = segments.at(-1)
    if (head === undefined) {
      this.#headFd = this.#create(1, nextId)
    } else {
      this.#headFd = openSync(head.path, 'r+')
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

  /** When the written-but-unsynced bytes are due for their group fsync (Clock ms), or null when everything is synced. */
  get syncDueAtMs(): number | null {
    return this.#headUnsynced || this.#dirUnsynced() ? this.#lastSyncAtMs + this.#options.syncEveryMs : null
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
    // A threadpool fsync queued on the old fd may not have run yet: close it after the chain.
    this.#chain = this.#chain.then(() => closeQuietly(oldFd))
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

  /** Starts the group fsync if it is due at `nowMs` and none is running (a slow disk gets one fsync at a time, not a queue of them). */
  syncIfDue(nowMs: number): void {
    const dueAtMs = this.syncDueAtMs
    if (dueAtMs !== null && nowMs >= dueAtMs && this.#syncsQueued === 0) void this.syncLater()
  }

  /**
   * fsyncs everything written so far on the threadpool; resolves when that is done. Never rejects:
   * a failure goes to onError (and the bytes count as unsynced again).
   */
  syncLater(): Promise<void> {
    if (!this.#headUnsynced && !this.#dirUnsynced()) return this.#chain
    const fd = this.#headFd
    const head = this.#headUnsynced
    const dirChanges = this.#dirChanges
    this.#headUnsynced = false
    this.#syncsQueued++
    this.#lastSyncAtMs = this.#options.now()
    this.#chain = this.#chain.then(async () => {
      try {
        if (head) await fsyncAsync(fd)
        if (dirChanges > this.#dirSyncedChanges) {
          await fsyncDirectoryAsync(this.#dirFd)
          this.#dirSyncedChanges = Math.max(this.#dirSyncedChanges, dirChanges)
        }
      } catch (error) {
        this.#headUnsynced ||= head
        this.#options.onError(new Error(`cannot fsync the outbox in ${this.#options.dir}: ${reasonOf(error)}`, { cause: error }))
      } finally {
        this.#syncsQueued--
      }
    })
    return this.#chain
  }

  /** Deletes the oldest segment (never the head). Throws the fs error, and the segment stays. */
  deleteOldest(): void {
    const oldest = this.#segments[0]
    if (oldest === undefined || oldest === this.head) throw new RangeError('the head segment is never deleted')
    unlinkSync(oldest.path)
    this.#segments.shift()
    this.#bytes -= oldest.bytes
  }

  /** fsyncs what is unsynced and closes the files. */
  async close(): Promise<void> {
    await this.syncLater()
    await this.#chain
    closeSync(this.#headFd)
    if (this.#dirFd !== undefined) closeSync(this.#dirFd)
  }

  #dirUnsynced(): boolean {
    return this.#dirChanges > this.#dirSyncedChanges
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

function fsyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, error => (error ? reject(error) : resolve())))
}

async function fsyncDirectoryAsync(dirFd: number | undefined): Promise<void> {
  if (dirFd === undefined) return
  try {
    await fsyncAsync(dirFd)
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
