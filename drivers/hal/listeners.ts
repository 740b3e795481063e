/**
 * Listeners called in the order they were added. A delivery goes to the listeners registered when
 * it started (one added meanwhile waits for the next event, as the SerialLine contract wants) and
 * skips one removed meanwhile. A listener that throws does not stop the others, nor unwind into
 * the library that raised the event: its error is rethrown on its own, as an uncaught exception.
 */
export class Listeners<A extends unknown[]> {
  readonly #registered = new Set<(...args: A) => void>()
  #snapshot: readonly ((...args: A) => void)[] = []

  add(listener: (...args: A) => void): () => void {
    this.#registered.add(listener)
    this.#snapshot = [...this.#registered]
    return () => {
      if (this.#registered.delete(listener)) this.#snapshot = [...this.#registered]
    }
  }

  emit(...args: A): void {
    for (const listener of this.#snapshot) {
      if (!this.#registered.has(listener)) continue
      try {
        listener(...args)
      } catch (error) {
        queueMicrotask(() => {
          throw error
        })
      }
    }
  }

  clear(): void {
    this.#registered.clear()
    this.#snapshot = []
  }
}
