import type { InputPin } from '../drivers/hal/gpio.ts'
import { i2cDevice } from '../drivers/hal/i2c.ts'
import { SENSOR_DESCRIPTORS } from '../drivers/sensors/registry.ts'
import type { Reading, Sensor, SensorPort } from '../drivers/sensors/sensor.ts'
import type { Scenario } from '../drivers/sim/scenario/schema.ts'
import type { SimBoard } from '../drivers/sim/sim-board.ts'
import type { TaskSpec } from '../tasks/schema.ts'
import type { Clock } from './clock.ts'
import { boardDevices, type DeviceWiring } from './config/bind-devices.ts'
import type { LoadedConfig } from './config/load.ts'
import { arbitratedI2cBus } from './hal/arbitrated-i2c-bus.ts'
import { openHal, type Hal, type HalNeeds } from './hal/open-hal.ts'
import { LatestReadings } from './readings/latest.ts'
import { ReplaySensor, type Recording } from './readings/replay.ts'
import { startScenario, type RunningScenario } from './scenario.ts'
import { Scheduler, periodicTask, sporadicTask, type SchedulerEvent, type TaskDefinition } from './scheduler/scheduler.ts'
import { errorKind, type SchedulerErrorKind } from './scheduler/errors.ts'
import { Actuators, type ActuatorChange } from './actuators.ts'
import type { AlarmEvent } from './alarms/engine.ts'
import { alarmStages, type AlarmStages } from './alarms/stages.ts'
import { AlarmStore } from './alarms/store.ts'
import type { JobContext } from './scheduler/job-context.ts'
import { sampleJob } from './task-kinds/sample.ts'
import { syntheticJob } from './task-kinds/synthetic.ts'

/** A booted runtime: the scheduler, the hardware it opened, and one way to stop it all. */
export interface Runtime {
  readonly scheduler: Scheduler
  /** The simulated hardware, on a `sim` board (tests and scenarios drive it). */
  readonly sim: SimBoard | undefined
  /** The newest reading of each sample task. */
  readonly readings: LatestReadings
  /** The board's outputs, at their safe levels until something drives them. */
  readonly actuators: Actuators
  /** The alarms (acknowledge, reset, shelve through engine.command()), the outputs they drive, and every channel. */
  readonly alarms: AlarmStages
  /** The scenario, once started, on a sim board run with one. */
  readonly scenario: RunningScenario | undefined
  start(): void
  /** Stops the scheduler, releases the sensors, drives every output to its safe level, then closes the hardware. */
  stop(): Promise<void>
}

export interface BootOptions {
  readonly clock: Clock
  readonly onEvent?: (event: SchedulerEvent) => void
  readonly onSafeState?: (taskId: string, reason: SchedulerErrorKind) => void
  /** Every reading of every sample task, on the job that took it. */
  readonly onReading?: (taskId: string, device: string, reading: Reading) => void
  /** Every reading with the channel values its reporting filters let through (telemetry), after the decision. */
  readonly onReported?: (taskId: string, reading: Reading, values: Record<string, number | null>) => void
  /** Devices found in this recording are played back instead of sampled (`--replay`). */
  readonly replay?: Recording
  /** A world model and fault timeline to run on the simulated board (`--scenario`). */
  readonly scenario?: Scenario
  /** Every alarm transition, in the job that made it (after the outputs it drives were written). */
  readonly onAlarm?: (event: AlarmEvent) => void
  /** Every change of an output's level. */
  readonly onActuator?: (change: ActuatorChange) => void
  /** Where alarm states are kept across restarts (`--data-dir`); without it they start normal. */
  readonly alarmState?: { readonly file: string; readonly wallNow: () => number }
  /** Problems that do not stop the runtime (an unreadable alarm-state file, a failed save). */
  readonly onNotice?: (message: string) => void
}

/**
 * The composition root: the one place where board, hardware, drivers and tasks meet (STYLE.md
 * §4). The config has already been validated, bound and admitted by loadConfig(), so a name
 * that is not found here is a bug, not a user error.
 */
export async function boot(config: LoadedConfig, options: BootOptions): Promise<Runtime> {
  const { board } = config
  if (options.scenario !== undefined && board.platform !== 'sim') throw new RangeError(`a scenario needs the simulated board; '${board.id}' is ${board.platform}`)
  const hal = await openHal(board, options.clock, halNeeds(config))
  try {
    // Safe state first (ARCHITECTURE.md decision 6): every output at its safe level before any sensor or task exists.
    const actuators = await Actuators.open(board, hal, () => options.clock.now())
    actuators.onChange = options.onActuator
    const store = options.alarmState === undefined ? undefined : new AlarmStore({ ...options.alarmState, now: () => options.clock.now(), onError: error => options.onNotice?.(error.message) })
    const stages = alarmStages(config, actuators, {
      now: () => options.clock.now(),
      onEvent: options.onAlarm,
      ...(store === undefined ? {} : { onChange: (alarms: Parameters<AlarmStore['save']>[0]) => store.save(alarms) }),
    })
    if (store !== undefined) {
      const loaded = await store.load()
      for (const problem of loaded.problems) options.onNotice?.(problem)
      await stages.engine.restore(loaded.alarms)
    }
    return assemble(config, hal, actuators, stages, store, options)
  } catch (error) {
    await hal.close()
    throw error
  }
}

/** Everything after the hardware is open and safe: scheduler, sensors, task bodies, release inputs. */
function assemble(config: LoadedConfig, hal: Hal, actuators: Actuators, stages: AlarmStages, store: AlarmStore | undefined, options: BootOptions): Runtime {
  const { board, table } = config
  const readings = new LatestReadings()
  // Task bodies are bound after the scheduler exists: sensors need its clock and bus arbiters.
  const bodies = new Map<string, (ctx: JobContext) => Promise<void>>()
  const tasks = table.tasks.map((spec, index) => toTaskDefinition(spec, config.timings[index]!, bodies))
  const onSafeState = (taskId: string, reason: SchedulerErrorKind): void => {
    actuators.toSafe('safe-state', taskId).catch((error: unknown) => options.onEvent?.({ type: 'task-failed', taskId, atMs: options.clock.now(), kind: errorKind(error), error }))
    options.onSafeState?.(taskId, reason)
  }
  const scheduler = new Scheduler({ clock: options.clock, settings: config.settings, tasks, onSafeState, ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }) })
  const sensors = new Map<string, Sensor>()
  const startMs = options.clock.now()
  for (const spec of table.tasks) {
    if (spec.kind === 'synthetic') {
      bodies.set(spec.id, syntheticJob(options.clock, spec.computeMs, spec.chunkMs))
      continue
    }
    const sensor = sensors.get(spec.device) ?? createSensor(config, spec.device, hal, scheduler, options.replay, startMs)
    sensors.set(spec.device, sensor)
    const { id, device } = spec
    const pipeline = stages.pipelines.get(id)!
    // The decision first (ARCHITECTURE.md: alarm → actuator in the same job, before anything is published).
    const onReading = (reading: Reading): Promise<void> | undefined => {
      pipeline.onReading(reading)
      const writing = stages.engine.evaluateTask(id)
      readings.put(id, reading)
      options.onReading?.(id, device, reading)
      options.onReported?.(id, reading, pipeline.reportedValues())
      return writing
    }
    const onFailure = (kind: string): Promise<void> | undefined => {
      pipeline.onFailure(kind)
      return stages.engine.evaluateTask(id)
    }
    const maxAgeMs = spec.maxAgeMs ?? spec.deadlineMs ?? spec.periodMs
    bodies.set(id, sampleJob({ device, sensor, onReading, onFailure, maxAgeMs, now: () => options.clock.now() }))
  }
  const inputs = watchReleases(table.tasks, hal, scheduler)
  let scenario: RunningScenario | undefined
  return {
    scheduler,
    sim: hal.sim,
    readings,
    actuators,
    alarms: stages,
    get scenario() {
      return scenario
    },
    start: () => {
      hal.start()
      if (options.scenario !== undefined && hal.sim !== undefined) scenario = startScenario(options.scenario, hal.sim, board, options.clock)
      scheduler.start()
    },
    stop: async () => {
      await scheduler.stop()
      await scenario?.stop()
      for (const input of inputs) input.unwatch()
      for (const sensor of sensors.values()) await sensor.close().catch(() => undefined)
      try {
        await actuators.toSafe('stop')
      } finally {
        await store?.flush()
        await hal.close()
      }
    },
  }
}

function createSensor(config: LoadedConfig, device: string, hal: Hal, scheduler: Scheduler, replay: Recording | undefined, startMs: number): Sensor {
  const recorded = replay?.byDevice.get(device)
  if (recorded !== undefined) return new ReplaySensor(device, recorded, scheduler.clock, startMs)
  const wiring = boardDevices(config.board).get(device)!
  const descriptor = SENSOR_DESCRIPTORS.get(wiring.chip)!
  const port: SensorPort =
    wiring.bus === 'i2c'
      ? { bus: 'i2c', device: i2cDevice(arbitratedI2cBus(hal.i2c(wiring.busName), scheduler.resource(wiring.busName)), wiring.address) }
      : wiring.bus === 'serial'
        ? { bus: 'serial', line: hal.serial(wiring.busName) }
        : { bus: 'gpio', pin: hal.input(wiring.busName) }
  return descriptor.create(port, scheduler.clock, descriptor.settings.parse(wiring.settings))
}

/** The buses, lines and GPIOs the table uses, by board name. */
function halNeeds(config: LoadedConfig): HalNeeds {
  const devices = boardDevices(config.board)
  const used = config.table.tasks.flatMap(spec => (spec.kind === 'sample' ? [devices.get(spec.device)!] : []))
  const names = (bus: DeviceWiring['bus']): string[] => [...new Set(used.filter(device => device.bus === bus).map(device => device.busName))]
  const releases = config.table.tasks.flatMap(spec => (spec.release === undefined ? [] : [spec.release.gpio]))
  return { i2c: names('i2c'), serial: names('serial'), gpio: [...new Set([...names('gpio'), ...releases])] }
}

function watchReleases(specs: readonly TaskSpec[], hal: Hal, scheduler: Scheduler): { pin: InputPin; unwatch: () => void }[] {
  return specs.flatMap(spec => {
    if (spec.release === undefined) return []
    const pin = hal.input(spec.release.gpio)
    const id = spec.id
    return [{ pin, unwatch: pin.watch(spec.release.edge, () => scheduler.release(id)) }]
  })
}


function toTaskDefinition(spec: TaskSpec, timing: LoadedConfig['timings'][number], bodies: ReadonlyMap<string, (ctx: JobContext) => Promise<void>>): TaskDefinition {
  const run = (ctx: JobContext): Promise<void> => bodies.get(spec.id)!(ctx)
  const init = { ...timing, onMiss: spec.onMiss, restart: spec.restart ?? { initialMs: 0, maxMs: 0 }, run }
  return timing.kind === 'sporadic' ? sporadicTask(init) : periodicTask(init)
}
