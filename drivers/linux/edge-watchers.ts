import type { Clock } from '../hal/clock.ts'
import type { Edge, Level } from '../hal/gpio.ts'

/** Which edges the kernel reports for a line (sysfs `edge`); 'none' reports nothing. */
export type KernelEdge = Edge | 'none'

interface Watcher {
  readonly edge: Edge
  readonly onEdge: (level: Level, atMs: number) => void
  readonly debounceMs: number
  /** Debounce: cancels the pending settle check. */
  pending: AbortController | undefined
  /** Debounce: the level last reported, or the level when the watch began. */
  reported: Level
}

/**
 * Turns a line's change notifications into the InputPin watch() contract: per watcher, edges of
 * the kind asked for, in order, stamped with the Clock, debounced on the Clock where asked.
 *
 * A notification says "the line changed, and now reads `level`". Notifications can merge (a pulse
 * shorter than the notification latency reads as no change: sysfs edges are read, not captured,
 * shared/reference/dependencies.md §1), so with the kernel reporting both edges a notification
 * that reads the level already known is not an edge. With the kernel reporting one kind only,
 * every notification is one edge of that kind.
 */
export class EdgeWatchers {
  readonly #clock: Clock
  readonly #kernelEdge: KernelEdge
  readonly #readLevel: () => Level
  readonly #watchers = new Set<Watcher>()
  #level: Level

  constructor(options: { clock: Clock; kernelEdge: KernelEdge; readLevel: () => Level }) {
    this.#clock = options.clock
    this.#kernelEdge = options.kernelEdge
    this.#readLevel = options.readLevel
    this.#level = options.readLevel()
  }

  get size(): number {
    return this.#watchers.size
  }

  /** Adds a watcher; throws RangeError for what this line's kernel edge setting cannot deliver. */
  add(edge: Edge, onEdge: (level: Level, atMs: number) => void, debounceMs: number): () => void {
    if (!(debounceMs >= 0)) throw new RangeError(`debounceMs must be >= 0, got ${debounceMs}`)
    if (this.#kernelEdge !== 'both' && (edge !== this.#kernelEdge || debounceMs > 0)) {
      const needs = debounceMs > 0 ? 'debounce needs' : `watch("${edge}") needs`
      throw new RangeError(`the line was opened with edge "${this.#kernelEdge}"; ${needs} edge "both"`)
    }
    const watcher: Watcher = { edge, onEdge, debounceMs, pending: undefined, reported: this.#level }
    this.#watchers.add(watcher)
    return () => {
      watcher.pending?.abort()
      this.#watchers.delete(watcher)
    }
  }

  /** The line may have changed; it reads `level` now. */
  changed(level: Level): void {
    const atMs = this.#clock.now()
    if (this.#kernelEdge === 'rising' || this.#kernelEdge === 'falling') {
      this.#deliver(this.#kernelEdge === 'rising' ? 1 : 0, atMs, false)
      return
    }
    for (const watcher of this.#watchers) if (watcher.debounceMs > 0) this.#settleLater(watcher)
    if (level === this.#level) return
    this.#level = level
    this.#deliver(level, atMs, true)
  }

  clear(): void {
    for (const watcher of this.#watchers) watcher.pending?.abort()
    this.#watchers.clear()
  }

  #deliver(level: Level, atMs: number, undebouncedOnly: boolean): void {
    const edge: Edge = level === 1 ? 'rising' : 'falling'
    for (const watcher of this.#watchers) {
      if (undebouncedOnly && watcher.debounceMs > 0) continue
      if (watcher.edge === 'both' || watcher.edge === edge) watcher.onEdge(level, atMs)
    }
  }

  /** Restarts the watcher's settle check: it reports once no change came for debounceMs. */
  #settleLater(watcher: Watcher): void {
    watcher.pending?.abort()
    const controller = new AbortController()
    watcher.pending = controller
    this.#clock.sleep(watcher.debounceMs, controller.signal).then(
      () => {
        if (!this.#watchers.has(watcher)) return
        watcher.pending = undefined
        const level = this.#readLevel()
        if (level === watcher.reported) return
        watcher.reported = level
        if (watcher.edge === 'both' || watcher.edge === (level === 1 ? 'rising' : 'falling')) watcher.onEdge(level, this.#clock.now())
      },
      () => undefined, // superseded by a later change, or unwatched
    )
  }
}
