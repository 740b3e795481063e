import type { BoardDefinition } from '../../boards/schema.ts'
import type { ChannelInfo, SensorDescriptor } from '../../drivers/sensors/sensor.ts'
import type { TaskSpec, TaskTable } from '../../tasks/schema.ts'
import { boardDevices } from '../config/bind-devices.ts'
import { channelCell, type ChannelCell } from './channel-cell.ts'

export type SampleSpec = Extract<TaskSpec, { kind: 'sample' }>

/** 'distanceM' in task 'lidar' → 'lidar.distanceM'; 'imu.accelXMps2' stays as it is. */
export function channelKey(ref: string, ownTaskId: string): string {
  return ref.includes('.') ? ref : `${ownTaskId}.${ref}`
}

/** A sample task's channels as the pipeline sees them: the device's, then the derived ones. */
export interface TaskChannels {
  readonly task: SampleSpec
  readonly device: readonly ChannelInfo[]
  readonly derived: readonly string[]
}

/** The device channels and derived channels of every sample task, by task id (for binding and for the pipeline). */
export function taskChannels(table: TaskTable, board: BoardDefinition, descriptors: ReadonlyMap<string, SensorDescriptor>): Map<string, TaskChannels> {
  const devices = boardDevices(board)
  const found = new Map<string, TaskChannels>()
  for (const task of table.tasks) {
    if (task.kind !== 'sample') continue
    const chip = devices.get(task.device)?.chip
    const descriptor = chip === undefined ? undefined : descriptors.get(chip)
    found.set(task.id, { task, device: descriptor?.channels ?? [], derived: (task.derived ?? []).map(derived => derived.name) })
  }
  return found
}

/**
 * One cell per channel of every sample task ('task.channel'), the derived channels included:
 * created once at boot and written in place by the pipeline (allocation-free per sample).
 */
export function channelSpace(channels: ReadonlyMap<string, TaskChannels>): Map<string, ChannelCell> {
  const cells = new Map<string, ChannelCell>()
  for (const [taskId, { task, device, derived }] of channels) {
    const maxAgeMs = task.maxAgeMs ?? task.deadlineMs ?? task.periodMs
    for (const name of [...device.map(channel => channel.name), ...derived]) cells.set(`${taskId}.${name}`, channelCell(`${taskId}.${name}`, maxAgeMs))
  }
  return cells
}
