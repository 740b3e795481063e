/**
 * A binary min-heap over a fixed set of items that remembers each item's position, so an item
 * can be removed or re-keyed in O(log n) without searching. It never allocates after
 * construction: the scheduler keeps one per queue with room for every task.
 *
 * `before(a, b)` is the strict order (true when a must come out first). Ties must be broken by
 * the caller's comparator for a deterministic order. An item may be in at most one heap per
 * `slot`; the slot field holds its index there, or -1.
 */
export class IndexedHeap<Slot extends string, T extends Record<Slot, number>> {
  readonly #items: T[] = []
  readonly #before: (a: T, b: T) => boolean
  readonly #slot: Slot
  #size = 0

  constructor(slot: Slot, before: (a: T, b: T) => boolean) {
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
    return item[this.#slot] >= 0
  }

  push(item: T): void {
    if (item[this.#slot] >= 0) throw new Error('IndexedHeap.push: item is already in the heap')
    const index = this.#size++
    this.#place(item, index)
    this.#up(index)
  }

  pop(): T | undefined {
    if (this.#size === 0) return undefined
    const top = this.#items[0]!
    this.#removeAt(0)
    return top
  }

  remove(item: T): boolean {
    const index = item[this.#slot]
    if (index < 0) return false
    this.#removeAt(index)
    return true
  }

  /** Restores the order after the item's key changed. */
  update(item: T): void {
    const index = item[this.#slot]
    if (index < 0) return
    this.#up(index)
    this.#down(item[this.#slot])
  }

  #removeAt(index: number): void {
    const removed = this.#items[index]!
    ;(removed as Record<Slot, number>)[this.#slot] = -1
    const lastIndex = --this.#size
    const last = this.#items[lastIndex]!
    this.#items[lastIndex] = undefined as unknown as T
    if (index === lastIndex) return
    this.#place(last, index)
    this.#up(index)
    this.#down(last[this.#slot])
  }

  #place(item: T, index: number): void {
    this.#items[index] = item
    ;(item as Record<Slot, number>)[this.#slot] = index
  }

  #up(index: number): void {
    const item = this.#items[index]!
    while (index > 0) {
      const parentIndex = (index - 1) >> 1
      const parent = this.#items[parentIndex]!
      if (!this.#before(item, parent)) break
      this.#place(parent, index)
      index = parentIndex
    }
    this.#place(item, index)
  }

  #down(index: number): void {
    const item = this.#items[index]!
    for (;;) {
      const left = 2 * index + 1
      if (left >= this.#size) break
      const right = left + 1
      const child = right < this.#size && this.#before(this.#items[right]!, this.#items[left]!) ? right : left
      if (!this.#before(this.#items[child]!, item)) break
      this.#place(this.#items[child]!, index)
      index = child
    }
    this.#place(item, index)
  }
}
