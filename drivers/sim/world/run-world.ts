import type { Clock } from '../../hal/clock.ts'
import type { World } from './world.ts'

export interface RunWorldOptions {
  /** How often the model is stepped and its outputs pushed, in the clock's ms. */
  readonly stepMs: number
}

/**
 * Steps `world` every `stepMs` of `clock`'s time until `signal` aborts, then resolves (an abort
 * is how a run ends, not an error). The model is attached at once, before the first await, so
 * the emulators hold the initial state from the start. Steps sit on a fixed grid from the start
 * time; a late wake-up (a real clock) steps to the time it woke and skips the grid points it
 * missed, since the model integrates whatever time has passed.
 */
export async function runWorld(world: World, clock: Clock, signal: AbortSignal, options: RunWorldOptions): Promise<void> {
  const { stepMs } = options
  if (!(stepMs > 0) || !Number.isFinite(stepMs)) throw new RangeError(`runWorld: stepMs must be a positive number, got ${stepMs}`)
  if (signal.aborted) return
  const startMs = clock.now()
  const detach = world.attach(startMs)
  try {
    for (let step = 1; ; step++) {
      step = Math.max(step, Math.floor((clock.now() - startMs) / stepMs) + 1)
      if (!(await sleepUntil(clock, startMs + step * stepMs, signal))) return
      world.advanceTo(clock.now())
    }
  } finally {
    detach()
  }
}

/** Sleeps to `atMs` (not at all if it has come); false if `signal` aborted first. */
export async function sleepUntil(clock: Clock, atMs: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false
  if (atMs <= clock.now()) return true
  try {
    await clock.sleep(atMs - clock.now(), signal)
    return !signal.aborted
  } catch (error) {
    if (signal.aborted) return false
    throw error
  }
}
