import type { Edge, InputPin, Level, OutputPin } from '../hal/gpio.ts'
import { HalError } from '../hal/errors.ts'

interface Watcher {
  readonly edge: Edge
  readonly onEdge: (level: Level, atMs: number) => void
}

/**
 * Simulated GPIO lines, one instance per simulated board. Tests and scenarios drive inputs with
 * `drive()` and read outputs with `level()`; the runtime sees the same InputPin / OutputPin
 * contract as on a real board.
 */
export class SimGpio {
  readonly #now: () => number
  readonly #levels = new Map<number, Level>()
  readonly #watchers = new Map<number, Set<Watcher>>()

  /** `now` is the runtime clock's now(), used to timestamp edges. */
  constructor(now: () => number) {
    this.#now = now
  }

  /** Sets an input line's level as the outside world would; edges reach watchers synchronously. */
  drive(line: number, level: Level): void {
    const previous = this.#levels.get(line) ?? 0
    this.#levels.set(line, level)
    if (previous === level) return
    const edge: Edge = level === 1 ? 'rising' : 'falling'
    const atMs = this.#now()
    for (const watcher of this.#watchers.get(line) ?? []) if (watcher.edge === 'both' || watcher.edge === edge) watcher.onEdge(level, atMs)
  }

  /** The level last written to (or driven on) a line. */
  level(line: number): Level {
    return this.#levels.get(line) ?? 0
  }

  input(line: number): InputPin {
    let closed = false
    const mine = new Set<Watcher>()
    const watchers = this.#watchers.get(line) ?? new Set<Watcher>()
    this.#watchers.set(line, watchers)
    return {
      read: async () => {
        if (closed) throw new HalError('closed', `sim GPIO ${line} is closed`)
        return this.level(line)
      },
      watch: (edge, onEdge) => {
        if (closed) throw new HalError('closed', `sim GPIO ${line} is closed`)
        const watcher = { edge, onEdge }
        watchers.add(watcher)
        mine.add(watcher)
        return () => {
          watchers.delete(watcher)
          mine.delete(watcher)
        }
      },
      close: async () => {
        closed = true
        for (const watcher of mine) watchers.delete(watcher)
      },
    }
  }

  output(line: number): OutputPin {
    let closed = false
    return {
      write: async level => {
        if (closed) throw new HalError('closed', `sim GPIO ${line} is closed`)
        this.#levels.set(line, level)
      },
      close: async () => {
        closed = true
      },
    }
  }
}
