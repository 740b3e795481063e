import { SimGpio } from '../drivers/sim/sim-gpio.ts'
import type { InputPin } from '../drivers/hal/gpio.ts'
import type { TaskSpec } from '../tasks/schema.ts'
import type { Clock } from './clock.ts'
import type { LoadedConfig } from './config/load.ts'
import { Scheduler, periodicTask, type SchedulerEvent, type TaskDefinition } from './scheduler/scheduler.ts'
import type { SchedulerErrorKind } from './scheduler/errors.ts'
import { syntheticJob } from './task-kinds/synthetic.ts'

/** A booted runtime: the scheduler, the hardware it opened, and one way to stop it all. */
export interface Runtime {
  readonly scheduler: Scheduler
  /** The simulated hardware, on a `sim` board (tests and scenarios drive it). */
  readonly sim: { readonly gpio: SimGpio } | undefined
  start(): void
  /** Stops the scheduler, then releases the hardware. */
  stop(): Promise<void>
}

export interface BootOptions {
  readonly clock: Clock
  readonly onEvent?: (event: SchedulerEvent) => void
  readonly onSafeState?: (taskId: string, reason: SchedulerErrorKind) => void
}

/**
 * The composition root: the one place where board, hardware and tasks meet (STYLE.md §4).
 * The config has already been validated, bound and admitted by loadConfig().
 */
export function boot(config: LoadedConfig, options: BootOptions): Runtime {
  const { board, table } = config
  const sim = board.platform === 'sim' ? { gpio: new SimGpio(options.clock) } : undefined
  const tasks = table.tasks.map((spec, index) => toTaskDefinition(spec, config.timings[index]!, options.clock))
  const scheduler = new Scheduler({ clock: options.clock, settings: config.settings, tasks, ...pick(options) })
  const inputs: { pin: InputPin; unwatch: () => void }[] = []
  for (const spec of table.tasks) {
    if (spec.release === undefined) continue
    const wiring = board.gpio[spec.release.gpio]!
    if (sim === undefined) {
      throw new Error(`task '${spec.id}' is released by GPIO "${spec.release.gpio}", but the Linux GPIO adapter (drivers/linux, onoff) is not part of this build yet; run it on the sim board`)
    }
    const pin = sim.gpio.input(wiring.line)
    const id = spec.id
    inputs.push({ pin, unwatch: pin.watch(spec.release.edge, () => scheduler.release(id)) })
  }
  return {
    scheduler,
    sim,
    start: () => scheduler.start(),
    stop: async () => {
      await scheduler.stop()
      for (const input of inputs) {
        input.unwatch()
        await input.pin.close()
      }
    },
  }
}

function pick(options: BootOptions): Pick<BootOptions, 'onEvent' | 'onSafeState'> {
  return {
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    ...(options.onSafeState === undefined ? {} : { onSafeState: options.onSafeState }),
  }
}

/** `clock` is the plain clock: a synthetic job holds the processor while it "computes". */
function toTaskDefinition(spec: TaskSpec, timing: LoadedConfig['timings'][number], clock: Clock): TaskDefinition {
  const run = syntheticJob(clock, spec.computeMs, spec.chunkMs)
  return periodicTask({ ...timing, onMiss: spec.onMiss, restart: spec.restart ?? { initialMs: 0, maxMs: 0 }, run })
}
