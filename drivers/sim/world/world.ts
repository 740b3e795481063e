import type { Level } from '../../hal/gpio.ts'

/**
 * A model of the world outside the board, stepped by runWorld() (run-world.ts).
 *
 * Contract:
 * - `attach(atMs)` starts the model at `atMs`: it subscribes to the actuators it reacts to and
 *   pushes its initial state to its targets. It returns the function that unsubscribes.
 * - `advanceTo(atMs)` moves the model's time to `atMs` and pushes the new state to its targets.
 *   Times never go backwards; a call at or before the model's time changes nothing but pushes again.
 * - A model owns no timer: whoever holds the clock (runWorld, a scenario, a test) moves it.
 */
export interface World {
  attach(atMs: number): () => void
  advanceTo(atMs: number): void
}

/**
 * The outputs of a board as a world model sees them: SimGpio has exactly this shape. Levels are
 * logical (active-low already applied). `level()` gives the line's level before the first write.
 */
export interface ActuatorLines {
  onOutput(listener: (line: number, level: Level, atMs: number) => void): () => void
  level?(line: number): Level
}
