/** A logic level as the application sees it (active-low inversion already applied). */
export type Level = 0 | 1
export type Edge = 'rising' | 'falling' | 'both'

/**
 * A GPIO output.
 * Contract (test/contract/gpio.contract.ts): write() resolves once the level is on the pin;
 * read() returns the level last written (what the pin drives); after close() resolves, write()
 * rejects with HalError kind 'closed'. Active-low is applied by the implementation: write(1)
 * means "active" on an active-low line too. writeSync() does what write() does without waiting
 * for the event loop: it is for the exit path only (an uncaught error, a fatal signal), where
 * the outputs must reach their safe levels before the process ends.
 */
export interface OutputPin {
  write(level: Level): Promise<void>
  /** The exit path's write: the level is on the pin when it returns. Throws HalError ('closed' after close()). */
  writeSync(level: Level): void
  read(): Promise<Level>
  close(): Promise<void>
}

export interface WatchOptions {
  /**
   * Report an edge only once the line has kept its new level this long, ms (switch bounce).
   * The callback then gets the settled level and the time the line settled. Default 0: every edge.
   */
  readonly debounceMs?: number
}

/**
 * A GPIO input.
 * Contract (test/contract/gpio.contract.ts): `watch()` calls `onEdge` once per edge of the
 * requested kind, in order, with the new level and the time from the runtime Clock (not
 * Date.now()), until the returned function is called. With `debounceMs`, a level that does not
 * last that long is not reported. After close() resolves no further callback is made and read()
 * rejects with HalError kind 'closed'. Active-low is applied: a pressed active-low button reads 1.
 */
export interface InputPin {
  read(): Promise<Level>
  watch(edge: Edge, onEdge: (level: Level, atMs: number) => void, options?: WatchOptions): () => void
  close(): Promise<void>
}
