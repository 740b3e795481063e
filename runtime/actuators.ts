import type { BoardDefinition } from '../boards/schema.ts'
import type { Level, OutputPin } from '../drivers/hal/gpio.ts'
import type { Hal } from './hal/open-hal.ts'

/** Why an output changed, as events and the live view report it. */
export type ActuatorCause = 'boot' | 'alarm' | 'clear' | 'fail-safe' | 'safe-state' | 'command' | 'stop' | 'exit'

export interface ActuatorChange {
  readonly output: string
  readonly level: Level
  readonly atMs: number
  readonly cause: ActuatorCause
  /** The alarm or task behind it, when there is one. */
  readonly by?: string
}

interface Output {
  readonly pin: OutputPin
  readonly safe: Level
  /** The level last written (the outputs are only written through this class). */
  level: Level
}

/**
 * The board's outputs (GPIO lines with direction "out"), each with its declared safe level
 * (ARCHITECTURE.md decision 6). Opening them drives every one to its safe level before anything
 * else is opened; toSafe() drives them all back (a task's `safe-state` miss policy, stopping),
 * and toSafeSync() does so without the event loop (the exit path). Which level an output should
 * have while running is the OutputArbiter's decision (runtime/actuation/).
 */
export class Actuators {
  readonly #outputs: ReadonlyMap<string, Output>
  readonly #now: () => number
  /** Told of every change of level, after the write. */
  onChange: ((change: ActuatorChange) => void) | undefined

  private constructor(outputs: ReadonlyMap<string, Output>, now: () => number) {
    this.#outputs = outputs
    this.#now = now
  }

  /** Opens every output of the board at its safe level (the line starts there: no glitch). */
  static async open(board: BoardDefinition, hal: Hal, now: () => number): Promise<Actuators> {
    const outputs = new Map<string, Output>()
    for (const [name, line] of Object.entries(board.gpio)) {
      if (line.direction !== 'out') continue
      const safe: Level = line.safe ?? 0
      const pin = hal.output(name, safe)
      await pin.write(safe) // a line that already was an output keeps its level on open (no glitch): set it now
      outputs.set(name, { pin, safe, level: safe })
    }
    return new Actuators(outputs, now)
  }

  get names(): string[] {
    return [...this.#outputs.keys()]
  }

  has(name: string): boolean {
    return this.#outputs.has(name)
  }

  safeLevel(name: string): Level {
    return this.#output(name).safe
  }

  /** The level last written. */
  level(name: string): Level {
    return this.#output(name).level
  }

  /** Writes one output (a no-op when it already has that level). */
  write(name: string, level: Level, cause: ActuatorCause, by?: string): Promise<void> {
    const output = this.#output(name)
    return output.level === level ? Promise.resolve() : this.#write(name, output, level, cause, by)
  }

  /**
   * Drives every output to its safe level, writing each line even where the level last written
   * is already the safe one (something else may have moved it); one that fails does not stop the
   * others, and the first error is thrown after.
   */
  async toSafe(cause: ActuatorCause = 'safe-state', by?: string): Promise<void> {
    const results = await Promise.allSettled([...this.#outputs].map(([name, output]) => this.#write(name, output, output.safe, cause, by)))
    const failed = results.find(result => result.status === 'rejected')
    if (failed !== undefined) throw failed.reason
  }

  /**
   * The exit path: every output to its safe level before this returns, without the event loop
   * (an uncaught error, a fatal signal). Returns what failed, as sentences; never throws.
   */
  toSafeSync(): string[] {
    const failures: string[] = []
    for (const [name, output] of this.#outputs) {
      try {
        output.pin.writeSync(output.safe)
        output.level = output.safe
      } catch (error) {
        failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
    return failures
  }

  /** Each output's level as last written. */
  levels(): Record<string, Level> {
    return Object.fromEntries([...this.#outputs].map(([name, output]) => [name, output.level]))
  }

  async #write(name: string, output: Output, level: Level, cause: ActuatorCause, by: string | undefined): Promise<void> {
    await output.pin.write(level)
    const changed = output.level !== level
    output.level = level
    if (changed) this.onChange?.(by === undefined ? { output: name, level, atMs: this.#now(), cause } : { output: name, level, atMs: this.#now(), cause, by })
  }

  #output(name: string): Output {
    const output = this.#outputs.get(name)
    if (output === undefined) throw new RangeError(`no output "${name}" (outputs: ${this.names.join(', ') || 'none'})`)
    return output
  }
}
