import type { Clock } from '../../hal/clock.ts'
import { runWorld, sleepUntil } from '../world/run-world.ts'
import type { World } from '../world/world.ts'
import { applyFault, type SimFaultControls } from './fault.ts'
import type { TimedAction } from './plan.ts'

export interface RunScenarioOptions {
  readonly clock: Clock
  /** Ends the run early; the run then resolves with endedBy 'signal'. */
  readonly signal: AbortSignal
  readonly faults: SimFaultControls
  /** How often the world is stepped, ms. */
  readonly stepMs: number
  /** Called after each action is applied, with the clock's time (for logs and tests). */
  readonly onAction?: ((action: TimedAction, atMs: number) => void) | undefined
}

export interface ScenarioOutcome {
  readonly endedBy: 'duration' | 'signal'
  /** How many timeline entries were applied. */
  readonly applied: number
}

/**
 * Runs a planned scenario (planScenario) in the clock's time: steps the world every stepMs and
 * applies each action at its time, the world brought up to that instant first, then pushed to
 * the emulators at once. Entries at the same time apply in file order. Ends at durationMs (with the
 * world stepped to that instant), or when `signal` aborts; the world is detached before the
 * promise settles. A fault control that throws
 * ends the run and rejects with its error.
 */
export async function runScenario(plan: { readonly world: World; readonly actions: readonly TimedAction[]; readonly durationMs: number | null }, options: RunScenarioOptions): Promise<ScenarioOutcome> {
  const { clock, signal, stepMs } = options
  const stop = new AbortController()
  const forward = (): void => stop.abort(signal.reason)
  if (signal.aborted) forward()
  else signal.addEventListener('abort', forward, { once: true })
  const startMs = clock.now()
  const stepping = runWorld(plan.world, clock, stop.signal, { stepMs }).catch((error: unknown) => {
    stop.abort(error)
    throw error
  })
  const timeline = playTimeline(plan, startMs, options, stop.signal).finally(() => stop.abort())
  try {
    const [stepped, played] = await Promise.allSettled([stepping, timeline])
    if (stepped.status === 'rejected') throw stepped.reason
    if (played.status === 'rejected') throw played.reason
    return played.value
  } finally {
    signal.removeEventListener('abort', forward)
  }
}

async function playTimeline(
  plan: { readonly world: World; readonly actions: readonly TimedAction[]; readonly durationMs: number | null },
  startMs: number,
  options: RunScenarioOptions,
  signal: AbortSignal,
): Promise<ScenarioOutcome> {
  const { clock, faults, onAction } = options
  let applied = 0
  for (const action of plan.actions) {
    if (!(await sleepUntil(clock, startMs + action.atMs, signal))) return { endedBy: 'signal', applied }
    plan.world.advanceTo(clock.now())
    action.applyWorld?.()
    if (action.fault !== null) await applyFault(faults, action.fault)
    plan.world.advanceTo(clock.now())
    applied++
    onAction?.(action, clock.now())
  }
  if (plan.durationMs === null) {
    await aborted(signal)
    return { endedBy: 'signal', applied }
  }
  if (!(await sleepUntil(clock, startMs + plan.durationMs, signal))) return { endedBy: 'signal', applied }
  plan.world.advanceTo(clock.now()) // the last step may not have run yet at this instant
  return { endedBy: 'duration', applied }
}

/** Resolves when `signal` aborts (waiting on the signal, not on a timer: no sleep lasts forever). */
function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise(resolve => signal.addEventListener('abort', () => resolve(), { once: true }))
}
