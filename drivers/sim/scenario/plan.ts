import { EnvironmentWorld, type EnvironmentTargets } from '../world/environment.ts'
import { PatientWorld, type PatientTargets } from '../world/patient.ts'
import { VehicleWorld, type VehicleTargets } from '../world/vehicle.ts'
import type { ActuatorLines, World } from '../world/world.ts'
import type { FaultSpec } from './fault.ts'
import type { Scenario } from './schema.ts'

/** What the board offers the world models: emulator setters, and its outputs with their line numbers. */
export interface WorldWiring {
  readonly targets: VehicleTargets & PatientTargets & EnvironmentTargets
  readonly actuators?: ActuatorLines | undefined
  /** Board output lines (BCM numbers) the worlds react to, e.g. `{ brake: board.gpio.brake.line }`. */
  readonly lines?: { readonly brake?: number | undefined } | undefined
}

/** One timeline entry, ready to apply: the world part as a closure, the fault as data. */
export interface TimedAction {
  /** The entry's index in the scenario's events. */
  readonly index: number
  /** From the start of the run. */
  readonly atMs: number
  readonly applyWorld: (() => void) | null
  readonly fault: FaultSpec | null
}

interface PlanOf<K extends Scenario['world'], W extends World> {
  readonly kind: K
  readonly world: W
  readonly actions: readonly TimedAction[]
  /** null: the run lasts until it is stopped. */
  readonly durationMs: number | null
}

export type ScenarioPlan = PlanOf<'vehicle', VehicleWorld> | PlanOf<'patient', PatientWorld> | PlanOf<'environment', EnvironmentWorld>

/** Builds the scenario's world model on `wiring` and turns its timeline into actions for runScenario(). */
export function planScenario(scenario: Scenario, wiring: WorldWiring): ScenarioPlan {
  const durationMs = scenario.durationS === undefined ? null : secondsToMs(scenario.durationS)
  switch (scenario.world) {
    case 'vehicle': {
      const world = new VehicleWorld({ targets: wiring.targets, actuators: wiring.actuators, brakeLine: wiring.lines?.brake }, scenario.initial)
      return { kind: 'vehicle', world, actions: actionsFor(scenario.events, world), durationMs }
    }
    case 'patient': {
      const world = new PatientWorld(wiring.targets, scenario.initial)
      return { kind: 'patient', world, actions: actionsFor(scenario.events, world), durationMs }
    }
    case 'environment': {
      const world = new EnvironmentWorld(wiring.targets, scenario.initial)
      return { kind: 'environment', world, actions: actionsFor(scenario.events, world), durationMs }
    }
  }
}

interface Entry<S, E> {
  readonly atS: number
  readonly set?: S | undefined
  readonly event?: E | undefined
  readonly fault?: FaultSpec | undefined
}

/** `set` first, then the named event; the fault is applied by the runner after both. */
function actionsFor<S, E>(events: readonly Entry<S, E>[], world: { set(settings: S): void; trigger(event: E): void }): TimedAction[] {
  return events.map((entry, index) => {
    const { set, event } = entry
    const applyWorld =
      set === undefined && event === undefined
        ? null
        : () => {
            if (set !== undefined) world.set(set)
            if (event !== undefined) world.trigger(event)
          }
    return { index, atMs: secondsToMs(entry.atS), applyWorld, fault: entry.fault ?? null }
  })
}

/** Rounded to the microsecond, so 0.3 s is 300 ms and not 300.00000000000006. */
function secondsToMs(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e3
}
