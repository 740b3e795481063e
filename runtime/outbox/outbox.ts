import { OUTBOX_CLASSES, type OutboxClass, type OutboxEntry } from './entry.ts'
import { encodeAck, encodeData, ID_RECORD_BYTES } from './record.ts'
import { recover, type OpenReport } from './recovery.ts'
import { reasonOf, SegmentLog, type AsyncFsync, type Segment, type SyncOutcome } from './segment-log.ts'
import { SendQueues, type Slot } from './send-queues.ts'

export { OUTBOX_CLASSES, type OutboxClass, type OutboxEntry } from './entry.ts'
export type { OpenReport } from './recovery.ts'
export type { AsyncFsync } from './segment-log.ts'

export interface OutboxOptions {
  /** The outbox's own directory (created if missing). One process per directory. */
  readonly dir: string
  /** Bound on the bytes of all segment files (see the class comment for the ack slack). */
  readonly maxBytes: number
  /** Size at which the head segment rolls over. Default: 1 MiB, or maxBytes / 8 if that is smaller. A message's record must fit in one segment. */
  readonly segmentBytes?: number
  /** Wall clock, epoch ms (Date.now in production): stamps appendedAtWallMs. */
  readonly wallNow: () => number
  /** Monotonic runtime Clock, ms: only to decide when the group fsync is due. */
  readonly now: () => number
  /** Group commit for telemetry, state and acks: fsync at most this often. Default 100 ms. An alarm's fsync starts at once, in append(). */
  readonly syncEveryMs?: number
  /** Failures that no call can return (any fsync, deleting a spent segment, writing an ack). Default: a process warning. */
  readonly onError?: (error: Error) => void
  /**
   * The fsync that runs off the event loop, on libuv's threadpool: fs.fsync by default. Injected
   * like the Clock, so a test decides when an fsync completes, and how.
   */
  readonly fsync?: AsyncFsync
}

/** How an alarm's fsync ended: on disk (it survives power loss), or why it may not be. */
export type SyncResult = { readonly ok: true } | { readonly ok: false; readonly reason: string }

export type AppendResult =
  | {
      readonly ok: true
      readonly entry: OutboxEntry
      /**
       * Alarms only: settles (never rejects) once the record's fsync has completed, ok or not,
       * and after the outbox has acted on it (an ack that came first is recorded by then).
       */
      readonly synced?: Promise<SyncResult>
    }
  | { readonly ok: false; readonly reason: string }

export interface OutboxStats {
  /** Unacknowledged entries: pending, in flight, or acknowledged by the broker and waiting for their fsync. */
  readonly depth: number
  /** Bytes of all segment files. */
  readonly bytes: number
  /** Telemetry entries dropped to keep within maxBytes (oldest first), since open. */
  readonly droppedTelemetry: number
  readonly droppedBytes: number
  readonly oldestAppendedAtWallMs: number | null
  readonly byClass: Readonly<Record<OutboxClass, number>>
}

const DEFAULT_SEGMENT_BYTES = 1024 * 1024
const MIN_SEGMENT_BYTES = 128
const DEFAULT_SYNC_EVERY_MS = 100
/** The filesystem is full (or the quota is): dropping old telemetry frees real disk space. */
const DISK_FULL = new Set(['ENOSPC', 'EDQUOT'])

/**
 * The durable outbox (ARCHITECTURE.md decision 5): every message is appended here before MQTT
 * sees it and leaves only when the broker acknowledged it. README.md has the on-disk format.
 *
 * Contract:
 * - append() is synchronous, never throws and never waits for the disk. When it returns ok the
 *   record is in the OS (it survives SIGKILL) and can be taken at once.
 * - An alarm's fsync is started by append() itself, on libuv's threadpool, so the message goes
 *   to the broker while its record goes to the disk. `synced` settles when the fsync has
 *   completed. An alarm leaves the outbox only when BOTH its fsync has completed and ack() was
 *   called (in either order), so nothing is deleted before it is durable. If the fsync fails,
 *   the failure goes to onError and `synced` says why; the alarm is kept (and still sent), and
 *   its ack is not recorded, so a restart sends it again.
 * - Telemetry, state and acks are fsynced by group commit: at most syncEveryMs after they were
 *   written, provided something calls into the outbox (append, ack or sync()) — see sync() and
 *   syncDueAtMs.
 * - Power loss: what was fsynced survives. An alarm appended less than one fsync before the
 *   power failed may be lost, whether or not the broker had it already; it was decided and
 *   acted on locally first. Nothing that was acknowledged and deleted can come back as lost.
 * - Ids increase strictly and are never reused, also across restarts.
 * - take() hands out pending entries: alarms, then state, then telemetry, each oldest first.
 *   They stay in flight until ack() (gone for good, or, for an alarm whose fsync is still
 *   running, delivered until it completes) or release()/releaseAll() (pending again, in their
 *   old place). After a restart everything unacknowledged is pending again.
 * - Delivery is at least once: an ack not yet fsynced when the power fails is lost, and its
 *   entry is delivered again. Consumers de-duplicate by id (with the device and boot ids).
 * - Bound: after an append returns, the segment files hold at most maxBytes. To make room, the
 *   oldest segment is evacuated: its live alarm and state records are copied forward (same id,
 *   fsynced) and it is deleted, which drops its telemetry (counted). An alarm or state message
 *   is never dropped: if it cannot be stored it is refused ({ ok: false }). Ack records are
 *   written without making room, so between appends the files may exceed maxBytes by the ack
 *   records (18 bytes each) written since; the next append or a spent segment's deletion
 *   brings them back under it.
 * - close() waits for every fsync started (and records the acks they held back). From the
 *   call on, append() refuses, take() returns nothing, ack/release do nothing.
 */
export class Outbox {
  readonly #log: SegmentLog
  readonly #queues = new SendQueues()
  readonly #slots = new Map<number, Slot>()
  readonly #inFlight = new Set<Slot>()
  /** The alarms' fsync outcomes not settled yet: close() waits for them. */
  readonly #syncing = new Set<Promise<SyncResult>>()
  readonly #maxBytes: number
  readonly #segmentBytes: number
  readonly #wallNow: () => number
  readonly #now: () => number
  readonly #onError: (error: Error) => void
  #nextId: number
  /** Bytes of the live alarm and state records: what the outbox can never shrink below. */
  #keepBytes = 0
  #droppedTelemetry = 0
  #droppedBytes = 0
  #closed = false

  private constructor(options: OutboxOptions, segmentBytes: number, log: SegmentLog, nextId: number) {
    this.#maxBytes = options.maxBytes
    this.#segmentBytes = segmentBytes
    this.#wallNow = options.wallNow
    this.#now = options.now
    this.#onError = options.onError ?? (error => process.emitWarning(error.message))
    this.#log = log
    this.#nextId = nextId
  }

  /**
   * Opens (or creates) the outbox in options.dir and recovers it: every unacknowledged entry is
   * pending again, torn tails are cut off, corrupt records skipped; the report says what was
   * found. Rejects with RangeError for bad options, and with the fs error if the directory
   * cannot be read or the head segment cannot be opened.
   */
  static async open(options: OutboxOptions): Promise<{ outbox: Outbox; report: OpenReport }> {
    const segmentBytes = checkOptions(options)
    const onError = options.onError ?? (error => process.emitWarning(error.message))
    const recovered = await recover(options.dir)
    const logOptions = { dir: options.dir, segmentBytes, syncEveryMs: options.syncEveryMs ?? DEFAULT_SYNC_EVERY_MS, now: options.now, onError, ...(options.fsync === undefined ? {} : { fsync: options.fsync }) }
    const log = new SegmentLog(logOptions, recovered.segments, recovered.nextId)
    log.syncNow() // the head, as found or created, is on disk before anything is handed out or appended
    const outbox = new Outbox(options, segmentBytes, log, recovered.nextId)
    for (const { entry, recordBytes, segment } of recovered.entries) outbox.#track({ entry, recordBytes, segment, state: 'pending', unsynced: false })
    return { outbox, report: recovered.report }
  }

  /**
   * Stores one message (see the class contract). Refuses with a reason when the outbox is
   * closed, the class is unknown, the record cannot fit in a segment, alarms and state alone
   * leave no room, or the write fails. An alarm's result carries `synced`: whether its fsync,
   * started here and completed later, put it on disk.
   */
  append(cls: OutboxClass, topic: string, payload: string, retain = false): AppendResult {
    if (this.#closed) return refuse('the outbox is closed')
    if (!OUTBOX_CLASSES.includes(cls)) return refuse(`unknown class ${JSON.stringify(cls)}`)
    const id = this.#nextId
    const appendedAtWallMs = this.#wallNow()
    let record: Buffer
    try {
      record = encodeData(id, cls, topic, payload, retain, appendedAtWallMs)
    } catch (error) {
      return refuse(reasonOf(error))
    }
    if (record.length + ID_RECORD_BYTES > this.#segmentBytes) {
      return refuse(`the message's record is ${record.length} bytes; one segment holds at most ${this.#segmentBytes - ID_RECORD_BYTES}`)
    }
    const noRoom = this.#makeRoom(record.length, cls)
    if (noRoom !== undefined) return refuse(noRoom)
    const written = this.#write(record, id)
    if (typeof written === 'string') return refuse(written)
    this.#nextId = id + 1
    const entry: OutboxEntry = { id, cls, topic, payload, retain, appendedAtWallMs }
    const slot: Slot = { entry, recordBytes: record.length, segment: written, state: 'pending', unsynced: cls === 'alarm' }
    this.#track(slot)
    if (cls !== 'alarm') {
      this.#log.syncIfDue(this.#now())
      return { ok: true, entry }
    }
    // Not awaited here: the caller publishes while the threadpool fsyncs (the class contract).
    const synced: Promise<SyncResult> = this.#log.syncLater().then(outcome => {
      this.#syncing.delete(synced)
      return this.#alarmSynced(slot, outcome)
    })
    this.#syncing.add(synced)
    return { ok: true, entry, synced }
  }

  /** Up to `limit` pending entries, in send order (alarms, state, telemetry; oldest first), that pass `filter`; they are now in flight. */
  take(limit: number, filter?: (entry: OutboxEntry) => boolean): OutboxEntry[] {
    if (this.#closed) return []
    return this.#queues.take(limit, filter, slot => {
      slot.state = 'in-flight'
      this.#inFlight.add(slot)
    })
  }

  /**
   * The broker acknowledged `id`: it leaves the outbox. The ack record is written at once (it
   * survives SIGKILL) and fsynced by group commit; for an alarm whose fsync has not completed,
   * only once it has (until then it is delivered: neither pending nor in flight). An unknown id
   * (already acked, or dropped telemetry) is ignored. If the ack cannot be written it goes to
   * onError, and the entry may be delivered again after a restart.
   */
  ack(id: number): void {
    const slot = this.#closed ? undefined : this.#slots.get(id)
    if (slot === undefined || slot.state === 'delivered') return
    if (slot.unsynced) {
      slot.state = 'delivered'
      this.#inFlight.delete(slot)
      return
    }
    this.#acknowledge(slot)
  }

  /** Records the ack of a durable entry and forgets it. */
  #acknowledge(slot: Slot): void {
    const id = slot.entry.id
    try {
      this.#log.write(encodeAck(id), this.#nextId)
    } catch (error) {
      this.#report(`cannot record the ack of ${id}; it may be delivered again after a restart`, error)
    }
    this.#forget(slot)
    this.#deleteSpentSegments()
    this.#log.syncIfDue(this.#now())
  }

  /** `id` was handed out but not acknowledged: pending again, in its old place. Anything else is ignored. */
  release(id: number): void {
    const slot = this.#slots.get(id)
    if (slot?.state !== 'in-flight') return
    slot.state = 'pending'
    this.#inFlight.delete(slot)
  }

  /** Every in-flight entry is pending again (after a disconnect). */
  releaseAll(): void {
    for (const slot of this.#inFlight) slot.state = 'pending'
    this.#inFlight.clear()
  }

  /**
   * Starts the group fsync now, if anything written is unsynced; resolves when it is done
   * (never rejects: failures go to onError). The owner calls it when syncDueAtMs is reached, so
   * the last records before a quiet spell are fsynced without waiting for the next append.
   */
  async sync(): Promise<void> {
    await this.#log.syncLater()
  }

  /** Clock ms at which unsynced records are due for their fsync, or null when everything is on disk. */
  get syncDueAtMs(): number | null {
    return this.#closed ? null : this.#log.syncDueAtMs
  }

  get stats(): OutboxStats {
    return {
      depth: this.#slots.size,
      bytes: this.#log.bytes,
      droppedTelemetry: this.#droppedTelemetry,
      droppedBytes: this.#droppedBytes,
      oldestAppendedAtWallMs: this.#queues.oldestAppendedAtWallMs(),
      byClass: { alarm: this.#queues.count('alarm'), state: this.#queues.count('state'), telemetry: this.#queues.count('telemetry') },
    }
  }

  /** Waits for the alarms' fsyncs (recording the acks they held back), fsyncs what is unsynced and closes the files. A second call resolves at once. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await Promise.all([...this.#syncing])
    await this.#log.close()
  }

  /** An alarm's fsync has ended: if it put the record on disk, an ack that came first is recorded now. */
  #alarmSynced(slot: Slot, outcome: SyncOutcome): SyncResult {
    if (outcome !== undefined) {
      return { ok: false, reason: `alarm ${slot.entry.id} was written but its fsync failed (${reasonOf(outcome.cause ?? outcome)}): it is kept and sent, but may not survive a power loss` }
    }
    slot.unsynced = false
    if (slot.state === 'delivered') this.#acknowledge(slot)
    return { ok: true }
  }

  #track(slot: Slot): void {
    this.#slots.set(slot.entry.id, slot)
    this.#queues.add(slot)
    slot.segment.live++
    if (slot.entry.cls !== 'telemetry') this.#keepBytes += slot.recordBytes
  }

  #forget(slot: Slot): void {
    this.#slots.delete(slot.entry.id)
    this.#inFlight.delete(slot)
    this.#queues.remove(slot)
    slot.segment.live--
    if (slot.entry.cls !== 'telemetry') this.#keepBytes -= slot.recordBytes
  }

  /** Writes a data record, dropping old telemetry and retrying while the disk is full. Returns the segment, or why it failed. */
  #write(record: Buffer, id: number): Segment | string {
    for (;;) {
      try {
        return this.#log.write(record, id)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? ''
        if (!DISK_FULL.has(code) || this.#log.segments.length < 2 || this.#evacuateOldest() !== undefined) {
          return `cannot write to ${this.#log.head.path}: ${reasonOf(error)}`
        }
      }
    }
  }

  /**
   * Evacuates old segments until a record of `recordBytes` fits under maxBytes. Returns why it
   * cannot, without dropping anything, when the live alarm and state records alone leave no room.
   */
  #makeRoom(recordBytes: number, cls: OutboxClass): string | undefined {
    this.#deleteSpentSegments()
    if (this.#log.bytes + this.#log.costOf(recordBytes) <= this.#maxBytes) return undefined
    // Fully compacted, the files hold the live alarm and state records, this one and two start records.
    const floorBytes = this.#keepBytes + recordBytes + 2 * ID_RECORD_BYTES
    if (floorBytes > this.#maxBytes) {
      return `no room for this ${cls} message: the ${this.#queues.count('alarm')} alarm and ${this.#queues.count('state')} state messages waiting hold ${this.#keepBytes} bytes, and with its ${recordBytes} bytes the outbox would exceed maxBytes (${this.#maxBytes})`
    }
    const lastN = this.#log.head.n
    while (this.#log.bytes + this.#log.costOf(recordBytes) > this.#maxBytes) {
      const oldest = this.#log.segments[0]!
      if (oldest.n > lastN) return `no room for this ${cls} message within maxBytes (${this.#maxBytes}) even after dropping all telemetry`
      const failure = oldest === this.#log.head ? this.#roll() : this.#evacuateOldest()
      if (failure !== undefined) return failure
    }
    return undefined
  }

  #roll(): string | undefined {
    try {
      this.#log.roll(this.#nextId)
      return undefined
    } catch (error) {
      return `cannot start a new segment in ${this.#log.head.path}'s directory: ${reasonOf(error)}`
    }
  }

  /**
   * Empties the oldest segment and deletes it: its live alarm and state records are written
   * again to the head (same id) and fsynced first, then its live telemetry is dropped. On a
   * failure nothing is dropped and the segment stays (the copies made are harmless duplicates).
   */
  #evacuateOldest(): string | undefined {
    const oldest = this.#log.segments[0]!
    const keep: Slot[] = []
    const drop: Slot[] = []
    for (const slot of this.#slots.values()) if (slot.segment === oldest) (slot.entry.cls === 'telemetry' ? drop : keep).push(slot)
    keep.sort((a, b) => a.entry.id - b.entry.id)
    try {
      for (const slot of keep) {
        const { id, cls, topic, payload, retain, appendedAtWallMs } = slot.entry
        const segment = this.#log.write(encodeData(id, cls, topic, payload, retain, appendedAtWallMs), this.#nextId)
        slot.segment.live--
        slot.segment = segment
        segment.live++
      }
      if (keep.length > 0) this.#log.syncNow()
    } catch (error) {
      return `cannot copy alarm and state messages forward out of ${oldest.path}: ${reasonOf(error)}`
    }
    for (const slot of drop) {
      this.#forget(slot)
      this.#droppedTelemetry++
      this.#droppedBytes += slot.recordBytes
    }
    return this.#deleteOldest()
  }

  /** Deletes the oldest segments while nothing live is left in them (never the head). */
  #deleteSpentSegments(): void {
    for (let oldest = this.#log.segments[0]; oldest !== this.#log.head && oldest?.live === 0; oldest = this.#log.segments[0]) {
      if (this.#deleteOldest() !== undefined) return
    }
  }

  #deleteOldest(): string | undefined {
    const oldest = this.#log.segments[0]!
    try {
      this.#log.deleteOldest()
      return undefined
    } catch (error) {
      const reason = `cannot delete the spent segment ${oldest.path}: ${reasonOf(error)}`
      this.#report(reason, error)
      return reason
    }
  }

  #report(what: string, cause: unknown): void {
    try {
      this.#onError(new Error(`${what}: ${reasonOf(cause)}`, { cause }))
    } catch {
      // A throwing reporter must not break the outbox.
    }
  }
}

function refuse(reason: string): AppendResult {
  return { ok: false, reason }
}

/** Programmer errors in the options (STYLE.md 7): RangeError naming the value. Returns segmentBytes. */
function checkOptions(options: OutboxOptions): number {
  const { maxBytes, segmentBytes, syncEveryMs } = options
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 2 * MIN_SEGMENT_BYTES) throw new RangeError(`maxBytes ${maxBytes} must be an integer of at least ${2 * MIN_SEGMENT_BYTES}`)
  const segment = segmentBytes ?? Math.max(MIN_SEGMENT_BYTES, Math.min(DEFAULT_SEGMENT_BYTES, Math.floor(maxBytes / 8)))
  if (!Number.isSafeInteger(segment) || segment < MIN_SEGMENT_BYTES || segment > maxBytes) {
    throw new RangeError(`segmentBytes ${segment} must be an integer from ${MIN_SEGMENT_BYTES} to maxBytes (${maxBytes})`)
  }
  if (syncEveryMs !== undefined && !(syncEveryMs >= 0)) throw new RangeError(`syncEveryMs ${syncEveryMs} must be >= 0`)
  return segment
}
