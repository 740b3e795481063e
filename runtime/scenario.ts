import type { BoardDefinition } from '../boards/schema.ts'
import type { Clock } from '../drivers/hal/clock.ts'
import { planScenario, type ScenarioPlan } from '../drivers/sim/scenario/plan.ts'
import { runScenario, type ScenarioOutcome } from '../drivers/sim/scenario/run.ts'
import type { Scenario } from '../drivers/sim/scenario/schema.ts'
import type { SimBoard } from '../drivers/sim/sim-board.ts'
import type { WorldWiring } from '../drivers/sim/scenario/plan.ts'

/** How often the world model is stepped, ms: finer than the fastest sampler of the example tables (10 ms). */
const WORLD_STEP_MS = 5

/** A scenario running on the simulated board. */
export interface RunningScenario {
  /** What the world looks like now (e.g. the vehicle: speed, distance to the obstacle, collision). */
  report(): unknown
  /** Resolves when the timeline has ended (its durationS) or it was stopped. */
  readonly done: Promise<ScenarioOutcome>
  stop(): Promise<void>
}

/**
 * Starts a scenario on the simulated board: its world model drives the emulators of the board's
 * devices (found by their role names: lidar, distance, imu, pulse, bodyTemp, environment, adc) and
 * reacts to the board's outputs (brake); its faults act on devices by name.
 */
export function startScenario(scenario: Scenario, sim: SimBoard, board: BoardDefinition, clock: Clock): RunningScenario {
  const plan: ScenarioPlan = planScenario(scenario, worldWiring(sim, board))
  const stopper = new AbortController()
  const done = runScenario(plan, { clock, signal: stopper.signal, faults: sim, stepMs: WORLD_STEP_MS })
  return {
    report: () => plan.world.report(),
    done,
    stop: async () => {
      stopper.abort()
      await done.catch(() => undefined)
    },
  }
}

function worldWiring(sim: SimBoard, board: BoardDefinition): WorldWiring {
  const chip = <T>(device: string): T | undefined => (sim.has(device) ? sim.chip<T>(device) : undefined)
  const targets = {
    lidar: chip('lidar'),
    tof: chip('distance'),
    imu: chip('imu'),
    pulseOximeter: chip('pulse'),
    thermometer: chip('bodyTemp'),
    climate: chip('environment'),
    adc: chip('adc'),
  }
  return { targets: withoutUndefined(targets) as WorldWiring['targets'], actuators: sim.gpio, lines: { brake: board.gpio.brake?.line } }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
