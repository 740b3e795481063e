import type { Clock } from '../hal/clock.ts'
import type { Edge, InputPin, Level, OutputPin, WatchOptions } from '../hal/gpio.ts'
import { HalError } from '../hal/errors.ts'

interface Watcher {
  readonly edge: Edge
  readonly onEdge: (level: Level, atMs: number) => void
  readonly debounceMs: number
  /** Debounce: the pending report of the last change, cancelled by the next one. */
  pending: AbortController | null
  /** Debounce: the level last reported (or the level when the watch began). */
  reported: Level
}

/**
 * Simulated GPIO lines, one instance per simulated board or test. Tests and scenarios drive
 * inputs with `drive()` and read outputs with `level()`; the runtime sees the same InputPin /
 * OutputPin contract as on a real board (test/contract/gpio.contract.ts). Levels are logical
 * (active-low already applied), as the HAL's are. Debounce waits on the injected clock.
 */
export class SimGpio {
  readonly #clock: Clock
  readonly #levels = new Map<number, Level>()
  readonly #watchers = new Map<number, Set<Watcher>>()
  readonly #listeners = new Set<(line: number, level: Level, atMs: number) => void>()

  constructor(clock: Clock) {
    this.#clock = clock
  }

  /** Sets an input line's level as the outside world would; undebounced edges reach watchers synchronously. */
  drive(line: number, level: Level): void {
    const previous = this.#levels.get(line) ?? 0
    this.#levels.set(line, level)
    if (previous === level) return
    const edge: Edge = level === 1 ? 'rising' : 'falling'
    const atMs = this.#clock.now()
    for (const watcher of this.#watchers.get(line) ?? []) {
      if (watcher.debounceMs > 0) this.#debounce(line, watcher)
      else if (watcher.edge === 'both' || watcher.edge === edge) watcher.onEdge(level, atMs)
    }
  }

  /** The level last written to (or driven on) a line. */
  level(line: number): Level {
    return this.#levels.get(line) ?? 0
  }

  /** Calls `listener` on every output write (world models react to actuators through this). */
  onOutput(listener: (line: number, level: Level, atMs: number) => void): () => void {
    this.#listeners.add(listener)
    return () => void this.#listeners.delete(listener)
  }

  /** An input on `line`; `debounceMs` is the default for watches that give none (as the Linux adapter's is). */
  input(line: number, options: { readonly debounceMs?: number | undefined } = {}): InputPin {
    let closed = false
    const mine = new Set<Watcher>()
    const watchers = this.#watchers.get(line) ?? new Set<Watcher>()
    this.#watchers.set(line, watchers)
    const closedError = (): HalError => new HalError('closed', `sim GPIO ${line} is closed`)
    return {
      read: async () => {
        if (closed) throw closedError()
        return this.level(line)
      },
      watch: (edge: Edge, onEdge: (level: Level, atMs: number) => void, watchOptions?: WatchOptions) => {
        if (closed) throw closedError()
        const debounceMs = watchOptions?.debounceMs ?? options.debounceMs ?? 0
        if (!(debounceMs >= 0)) throw new RangeError(`debounceMs must be >= 0, got ${debounceMs}`)
        const watcher: Watcher = { edge, onEdge, debounceMs, pending: null, reported: this.level(line) }
        watchers.add(watcher)
        mine.add(watcher)
        return () => {
          watcher.pending?.abort()
          watchers.delete(watcher)
          mine.delete(watcher)
        }
      },
      close: async () => {
        closed = true
        for (const watcher of mine) {
          watcher.pending?.abort()
          watchers.delete(watcher)
        }
      },
    }
  }

  output(line: number, initial?: Level): OutputPin {
    let closed = false
    if (initial !== undefined) this.#set(line, initial)
    return {
      write: async level => {
        if (closed) throw new HalError('closed', `sim GPIO ${line} is closed`)
        this.#set(line, level)
      },
      writeSync: level => {
        if (closed) throw new HalError('closed', `sim GPIO ${line} is closed`)
        this.#set(line, level)
      },
      read: async () => {
        if (closed) throw new HalError('closed', `sim GPIO ${line} is closed`)
        return this.level(line)
      },
      close: async () => {
        closed = true
      },
    }
  }

  #set(line: number, level: Level): void {
    this.#levels.set(line, level)
    const atMs = this.#clock.now()
    for (const listener of this.#listeners) listener(line, level, atMs)
  }

  /** Reports the line's level once it has been stable for debounceMs, if it differs from the last report. */
  #debounce(line: number, watcher: Watcher): void {
    watcher.pending?.abort()
    const controller = new AbortController()
    watcher.pending = controller
    this.#clock.sleep(watcher.debounceMs, controller.signal).then(
      () => {
        watcher.pending = null
        const level = this.level(line)
        if (level === watcher.reported) return
        watcher.reported = level
        const edge: Edge = level === 1 ? 'rising' : 'falling'
        if (watcher.edge === 'both' || watcher.edge === edge) watcher.onEdge(level, this.#clock.now())
      },
      () => undefined, // superseded by a later change, or unwatched
    )
  }
}
