import { OUTBOX_CLASSES, type OutboxClass, type OutboxEntry } from './entry.ts'
import type { Segment } from './segment-log.ts'

/** The outbox's in-memory view of one unacknowledged entry. */
export interface Slot {
  readonly entry: OutboxEntry
  /** Size of its data record on disk. */
  readonly recordBytes: number
  /** Where its newest copy is. */
  segment: Segment
  /**
   * pending: waiting for take(); in-flight: taken, not yet acknowledged; delivered: the broker
   * acknowledged it before its record was fsynced (an alarm), so it stays until the fsync has
   * completed; gone: acknowledged (or dropped) and forgotten.
   */
  state: 'pending' | 'in-flight' | 'delivered' | 'gone'
  /** An alarm whose fsync has not completed successfully yet: it must not be deleted. */
  unsynced: boolean
}

/** Slots no longer live that a queue may hold before it is compacted (lazy removal keeps ack() O(1)). */
const COMPACT_AFTER_GONE = 64

/**
 * One queue per class, each in id order (= the order of first append). take() walks alarm,
 * state, telemetry and hands out pending slots; an entry released keeps its place because
 * nothing ever moves. Removal marks a slot gone; gone slots are skipped and swept out in bulk.
 */
export class SendQueues {
  readonly #queues: Record<OutboxClass, Slot[]> = { alarm: [], state: [], telemetry: [] }
  readonly #gone: Record<OutboxClass, number> = { alarm: 0, state: 0, telemetry: 0 }
  readonly #live: Record<OutboxClass, number> = { alarm: 0, state: 0, telemetry: 0 }
  /** Index of the first slot that is not gone (acks come mostly oldest first: the front empties first). */
  readonly #start: Record<OutboxClass, number> = { alarm: 0, state: 0, telemetry: 0 }

  /** Adds a slot; ids arrive in increasing order (append, and open's sorted replay). */
  add(slot: Slot): void {
    this.#queues[slot.entry.cls].push(slot)
    this.#live[slot.entry.cls]++
  }

  remove(slot: Slot): void {
    if (slot.state === 'gone') return
    const cls = slot.entry.cls
    const queue = this.#queues[cls]
    slot.state = 'gone'
    this.#live[cls]--
    let start = this.#start[cls]
    while (start < queue.length && queue[start]!.state === 'gone') start++
    this.#start[cls] = start
    if (++this.#gone[cls] >= COMPACT_AFTER_GONE && this.#gone[cls] * 2 >= queue.length) {
      this.#queues[cls] = queue.filter(each => each.state !== 'gone')
      this.#gone[cls] = 0
      this.#start[cls] = 0
    }
  }

  /** Up to `limit` pending slots, alarms then state then telemetry, each oldest first; `mark` is called on each. */
  take(limit: number, filter: ((entry: OutboxEntry) => boolean) | undefined, mark: (slot: Slot) => void): OutboxEntry[] {
    const taken: OutboxEntry[] = []
    for (const cls of OUTBOX_CLASSES) {
      const queue = this.#queues[cls]
      for (let i = this.#start[cls]; i < queue.length; i++) {
        if (taken.length >= limit) return taken
        const slot = queue[i]!
        if (slot.state !== 'pending' || (filter !== undefined && !filter(slot.entry))) continue
        mark(slot)
        taken.push(slot.entry)
      }
    }
    return taken
  }

  count(cls: OutboxClass): number {
    return this.#live[cls]
  }

  /** The live slots of a class, oldest first. */
  *live(cls: OutboxClass): IterableIterator<Slot> {
    const queue = this.#queues[cls]
    for (let i = this.#start[cls]; i < queue.length; i++) if (queue[i]!.state !== 'gone') yield queue[i]!
  }

  /** appendedAtWallMs of the oldest live entry of any class. */
  oldestAppendedAtWallMs(): number | null {
    let oldest: number | null = null
    for (const cls of OUTBOX_CLASSES) {
      const first = this.live(cls).next()
      if (first.done !== true && (oldest === null || first.value.entry.appendedAtWallMs < oldest)) oldest = first.value.entry.appendedAtWallMs
    }
    return oldest
  }
}
