import { SENSOR_DESCRIPTORS } from '../../drivers/sensors/registry.ts'
import { OutputArbiter } from '../actuation/output-arbiter.ts'
import type { Actuators } from '../actuators.ts'
import type { LoadedConfig } from '../config/load.ts'
import { Alarm } from './alarm.ts'
import type { ChannelCell } from './channel-cell.ts'
import { channelKey, channelSpace, taskChannels } from './channel-space.ts'
import { compileCondition } from './condition.ts'
import { AlarmEngine, type AlarmEngineOptions } from './engine.ts'
import { TaskPipeline } from './task-pipeline.ts'

/** What the sample tasks' jobs run after each sample: the pipelines, and the alarms with the outputs they drive. */
export interface AlarmStages {
  readonly pipelines: ReadonlyMap<string, TaskPipeline>
  readonly engine: AlarmEngine
  readonly arbiter: OutputArbiter
  /** Every channel of every sample task, by 'task.channel'. */
  readonly cells: ReadonlyMap<string, ChannelCell>
}

/** Builds the reading stages of a bound table (config binding has checked every name, so a missing one is a bug). */
export function alarmStages(config: LoadedConfig, actuators: Actuators, options: Omit<AlarmEngineOptions, 'alarms' | 'arbiter'>): AlarmStages {
  const channels = taskChannels(config.table, config.board, SENSOR_DESCRIPTORS)
  const cells = channelSpace(channels)
  const pipelines = new Map<string, TaskPipeline>()
  const alarms: Alarm[] = []
  for (const [taskId, { task, device }] of channels) {
    const pipeline = new TaskPipeline({ taskId, device, processing: task.processing ?? {}, derived: task.derived ?? [], cells })
    pipelines.set(taskId, pipeline)
    const resolve = (ref: string): ChannelCell => {
      const cell = cells.get(channelKey(ref, taskId))
      if (cell === undefined) throw new RangeError(`no channel ${channelKey(ref, taskId)} (the table was bound, so this is a bug)`)
      return cell
    }
    for (const spec of task.alarms ?? []) alarms.push(new Alarm(spec, compileCondition(spec.when, resolve, pipeline.deviceCells), taskId))
  }
  const arbiter = new OutputArbiter(actuators, alarms)
  return { pipelines, engine: new AlarmEngine({ ...options, alarms, arbiter }), arbiter, cells }
}
