/** Where an item keeps its position in one heap (-1: not in it). */
export interface HeapSlot<T> {
  get(item: T): number
  set(item: T, index: number): void
}

/**
 * A binary min-heap over a fixed set of items that remembers each item's position, so an item
 * can be removed or re-keyed in O(log n) without searching. It never allocates once its array
 * has grown to the number of items: the scheduler keeps one per queue.
 *
 * `before(a, b)` is the strict order (true when a must come out first); ties must be broken by the
 * comparator for a deterministic order. An item may be in at most one heap per slot. The slot is
 * a pair of plain accessors rather than a property name, so the stores stay monomorphic (a
 * computed-key store here was the scheduler's largest cost: bench/dispatch.ts).
 */
export class IndexedHeap<T> {
  readonly #items: (T | undefined)[] = []
  readonly #before: (a: T, b: T) => boolean
  readonly #slot: HeapSlot<T>
  #size = 0

  constructor(slot: HeapSlot<T>, before: (a: T, b: T) => boolean) {
    this.#slot = slot
    this.#before = before
  }

  get size(): number {
    return this.#size
  }

  peek(): T | undefined {
    return this.#size > 0 ? this.#items[0] : undefined
  }

  has(item: T): boolean {
    return this.#slot.get(item) >= 0
  }

  push(item: T): void {
    if (this.#slot.get(item) >= 0) throw new Error('IndexedHeap.push: item is already in the heap')
    const index = this.#size++
    this.#items[index] = item
    this.#up(item, index)
  }

  pop(): T | undefined {
    if (this.#size === 0) return undefined
    const top = this.#items[0]!
    this.#removeAt(0)
    return top
  }

  remove(item: T): boolean {
    const index = this.#slot.get(item)
    if (index < 0) return false
    this.#removeAt(index)
    return true
  }

  /** Restores the order after the item's key changed. */
  update(item: T): void {
    const index = this.#slot.get(item)
    if (index < 0) return
    this.#up(item, index)
    this.#down(item, this.#slot.get(item))
  }

  #removeAt(index: number): void {
    this.#slot.set(this.#items[index]!, -1)
    const lastIndex = --this.#size
    const last = this.#items[lastIndex]!
    this.#items[lastIndex] = undefined
    if (index === lastIndex) return
    this.#items[index] = last
    this.#up(last, index)
    this.#down(last, this.#slot.get(last))
  }

  #up(item: T, index: number): void {
    const items = this.#items
    while (index > 0) {
      const parentIndex = (index - 1) >> 1
      const parent = items[parentIndex]!
      if (!this.#before(item, parent)) break
      items[index] = parent
      this.#slot.set(parent, index)
      index = parentIndex
    }
    items[index] = item
    this.#slot.set(item, index)
  }

  #down(item: T, index: number): void {
    const items = this.#items
    const size = this.#size
    for (;;) {
      const left = 2 * index + 1
      if (left >= size) break
      const right = left + 1
      const child = right < size && this.#before(items[right]!, items[left]!) ? right : left
      const childItem = items[child]!
      if (!this.#before(childItem, item)) break
      items[index] = childItem
      this.#slot.set(childItem, index)
      index = child
    }
    items[index] = item
    this.#slot.set(item, index)
  }
}
