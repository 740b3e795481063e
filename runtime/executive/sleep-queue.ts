/** Anything with a wake-up time in ms. */
export interface Timed {
  readonly atMs: number
}

/**
 * The pending sleeps of one clock, earliest first, in a plain array kept sorted by insertion.
 *
 * A clock usually has one to a few sleeps pending (one per scheduler loop, plus the odd driver
 * delay), so a sorted array beats a heap: insertion moves a handful of slots, taking the earliest
 * is a pop(), and nothing is allocated once the array has grown to its working size.
 *
 * Order: by atMs; sleeps with the same atMs come out in the order they were inserted.
 */
export class SleepQueue<T extends Timed> {
  /** Sorted by atMs DESCENDING, so the earliest is at the end; equal atMs: oldest nearest the end. */
  readonly #items: T[] = []

  get size(): number {
    return this.#items.length
  }

  /** The earliest item, without removing it. */
  peek(): T | undefined {
    return this.#items[this.#items.length - 1]
  }

  /** Removes and returns the earliest item. */
  pop(): T | undefined {
    return this.#items.pop()
  }

  insert(item: T): void {
    const items = this.#items
    items.push(item)
    let index = items.length - 1
    while (index > 0 && items[index - 1]!.atMs <= item.atMs) {
      items[index] = items[index - 1]!
      index--
    }
    items[index] = item
  }

  /** Removes `item`; false if it is not queued. */
  remove(item: T): boolean {
    const items = this.#items
    const index = items.lastIndexOf(item)
    if (index < 0) return false
    for (let i = index; i < items.length - 1; i++) items[i] = items[i + 1]!
    items.pop()
    return true
  }
}
