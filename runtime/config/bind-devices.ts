import type { BoardDefinition } from '../../boards/schema.ts'
import type { SensorDescriptor } from '../../drivers/sensors/sensor.ts'
import type { TaskSpec } from '../../tasks/schema.ts'
import type { ConfigIssue } from './config-error.ts'
import { zodIssues } from './zod-issues.ts'

/** Where a board device is wired, as the runtime needs it to open the port. */
export type DeviceWiring =
  | { readonly bus: 'i2c'; readonly busName: string; readonly chip: string; readonly address: number; readonly settings: Readonly<Record<string, unknown>> }
  | { readonly bus: 'serial'; readonly busName: string; readonly chip: string; readonly path: string; readonly baudRate: number; readonly settings: Readonly<Record<string, unknown>> }
  | { readonly bus: 'gpio'; readonly busName: string; readonly chip: 'digital-input'; readonly line: number; readonly settings: Readonly<Record<string, unknown>> }

/** The board's devices that can be sampled, by name: chips on a bus, and every GPIO input. */
export function boardDevices(board: BoardDefinition): Map<string, DeviceWiring> {
  const devices = new Map<string, DeviceWiring>()
  for (const [name, g] of Object.entries(board.gpio)) {
    if (g.direction === 'in') devices.set(name, { bus: 'gpio', busName: name, chip: 'digital-input', line: g.line, settings: {} })
  }
  for (const [busName, bus] of Object.entries(board.i2c)) {
    for (const [name, d] of Object.entries(bus.devices)) devices.set(name, { bus: 'i2c', busName, chip: d.chip, address: d.address, settings: d.settings ?? {} })
  }
  for (const [name, s] of Object.entries(board.serial)) {
    if (s.chip !== undefined) devices.set(name, { bus: 'serial', busName: name, chip: s.chip, path: s.path, baudRate: s.baudRate, settings: s.settings ?? {} })
  }
  return devices
}

/**
 * Binds the board's chips against the driver descriptors: every chip id must be a shipped driver,
 * on the bus it needs, at an address it can answer on, with settings its schema accepts.
 */
export function boardChipIssues(board: BoardDefinition, boardFile: string, descriptors: ReadonlyMap<string, SensorDescriptor>): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const known = [...descriptors.keys()].sort().join(', ')
  const check = (path: string, chip: string, bus: 'i2c' | 'serial', settings: unknown, address?: number): void => {
    const descriptor = descriptors.get(chip)
    if (descriptor === undefined) return void issues.push({ file: boardFile, path: `${path}.chip`, message: `no driver for chip "${chip}" (drivers: ${known || 'none'})` })
    if (descriptor.bus !== bus) issues.push({ file: boardFile, path: `${path}.chip`, message: `${chip} is a ${descriptor.bus} device, wired here on ${bus}` })
    if (address !== undefined && descriptor.addresses.length > 0 && !descriptor.addresses.includes(address)) {
      issues.push({ file: boardFile, path: `${path}.address`, message: `${chip} answers on ${descriptor.addresses.map(hex).join(', ')}, not ${hex(address)}` })
    }
    const parsed = descriptor.settings.safeParse(settings ?? {})
    if (!parsed.success) {
      for (const issue of zodIssues(boardFile, parsed.error, descriptor.settings)) {
        issues.push({ ...issue, path: issue.path === '' || issue.path === '(root)' ? `${path}.settings` : `${path}.settings.${issue.path}` })
      }
    }
  }
  for (const [name, line] of Object.entries(board.gpio)) {
    if (line.direction === 'in' && line.safe !== undefined) issues.push({ file: boardFile, path: `gpio.${name}.safe`, message: 'a safe level applies to outputs only; this line is an input' })
    if (line.direction === 'out' && line.debounceMs !== undefined) issues.push({ file: boardFile, path: `gpio.${name}.debounceMs`, message: 'debounce applies to inputs only; this line is an output' })
    if (line.direction === 'out' && line.edge !== undefined) issues.push({ file: boardFile, path: `gpio.${name}.edge`, message: 'edges apply to inputs only; this line is an output' })
  }
  for (const [busName, bus] of Object.entries(board.i2c)) {
    for (const [name, d] of Object.entries(bus.devices)) check(`i2c.${busName}.devices.${name}`, d.chip, 'i2c', d.settings, d.address)
  }
  for (const [name, s] of Object.entries(board.serial)) {
    if (s.chip === undefined) continue
    check(`serial.${name}`, s.chip, 'serial', s.settings)
    const baudRate = descriptors.get(s.chip)?.baudRate
    if (baudRate !== undefined && s.baudRate !== baudRate) issues.push({ file: boardFile, path: `serial.${name}.baudRate`, message: `${s.chip} talks at ${baudRate} baud, not ${s.baudRate}` })
  }
  return issues
}

/** Binds one sample task: its device exists and has a chip, its channels are the chip's, its period suits the chip. */
export function sampleTaskIssues(task: Extract<TaskSpec, { kind: 'sample' }>, at: string, board: BoardDefinition, descriptors: ReadonlyMap<string, SensorDescriptor>): { path: string; message: string }[] {
  const devices = boardDevices(board)
  const device = devices.get(task.device)
  if (device === undefined) return [{ path: `${at}.device`, message: `board '${board.id}' has no sensor device "${task.device}" (it has: ${[...devices.keys()].join(', ') || 'none'})` }]
  const descriptor = descriptors.get(device.chip)
  if (descriptor === undefined) return [] // reported against the board
  const issues: { path: string; message: string }[] = []
  const channels = descriptor.channels.map(channel => channel.name)
  task.channels?.forEach((channel, c) => {
    if (!channels.includes(channel)) issues.push({ path: `${at}.channels[${c}]`, message: `device "${task.device}" (${device.chip}) has no channel "${channel}" (it has: ${channels.join(', ')})` })
  })
  if (task.periodMs < descriptor.minPeriodMs) issues.push({ path: `${at}.periodMs`, message: `${task.periodMs} ms is shorter than ${device.chip}'s minimum sampling period (${descriptor.minPeriodMs} ms)` })
  return issues
}

const hex = (value: number): string => `0x${value.toString(16).padStart(2, '0')}`
