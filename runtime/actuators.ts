import type { BoardDefinition } from '../boards/schema.ts'
import type { Level, OutputPin } from '../drivers/hal/gpio.ts'
import type { Hal } from './hal/open-hal.ts'

/**
 * The board's outputs (GPIO lines with direction "out"), each with its declared safe level
 * (ARCHITECTURE.md decision 6). Opening them drives every one to its safe level before anything
 * else is opened; toSafe() drives them all back (a task's `safe-state` miss policy, stopping).
 * The alarm issue adds outputs set by alarms, with interlocks, on top of this.
 */
export class Actuators {
  readonly #pins: ReadonlyMap<string, { pin: OutputPin; safe: Level }>

  private constructor(pins: ReadonlyMap<string, { pin: OutputPin; safe: Level }>) {
    this.#pins = pins
  }

  /** Opens every output of the board at its safe level (the line starts there: no glitch). */
  static async open(board: BoardDefinition, hal: Hal): Promise<Actuators> {
    const pins = new Map<string, { pin: OutputPin; safe: Level }>()
    for (const [name, line] of Object.entries(board.gpio)) {
      if (line.direction !== 'out') continue
      const safe: Level = line.safe ?? 0
      const pin = hal.output(name, safe)
      await pin.write(safe) // a line that already was an output keeps its level on open (no glitch): set it now
      pins.set(name, { pin, safe })
    }
    return new Actuators(pins)
  }

  get names(): string[] {
    return [...this.#pins.keys()]
  }

  /** Drives every output to its safe level; one that fails does not stop the others, and the first error is thrown after. */
  async toSafe(): Promise<void> {
    const results = await Promise.allSettled([...this.#pins.values()].map(({ pin, safe }) => pin.write(safe)))
    const failed = results.find(result => result.status === 'rejected')
    if (failed !== undefined) throw failed.reason
  }

  /** Each output's level as last written. */
  async levels(): Promise<Record<string, Level>> {
    const entries = await Promise.all([...this.#pins].map(async ([name, { pin }]) => [name, await pin.read()] as const))
    return Object.fromEntries(entries)
  }
}
