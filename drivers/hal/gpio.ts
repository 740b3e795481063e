/** A logic level as the application sees it (active-low inversion already applied). */
export type Level = 0 | 1
export type Edge = 'rising' | 'falling' | 'both'

/**
 * A GPIO output.
 * Contract: write() resolves once the level is on the pin; after close() resolves, write()
 * rejects with HalError kind 'closed'.
 */
export interface OutputPin {
  write(level: Level): Promise<void>
  close(): Promise<void>
}

/**
 * A GPIO input.
 * Contract: `watch()` calls `onEdge` once per edge of the requested kind, in order, with the
 * new level and the time from the runtime Clock (not Date.now()), until the returned function
 * is called; after close() resolves no further callback is made and read() rejects with
 * HalError kind 'closed'.
 */
export interface InputPin {
  read(): Promise<Level>
  watch(edge: Edge, onEdge: (level: Level, atMs: number) => void): () => void
  close(): Promise<void>
}
