import type { Reading } from '../../drivers/sensors/sensor.ts'

/**
 * The NDJSON recording format (`edgert run --record FILE`, `--replay FILE`): a header line, then
 * one line per reading in the order they were taken:
 *   {"edgert":"recording","version":1,"board":"sim","tasks":"tasks/vehicle-braking.json","startMs":0}
 *   {"task":"lidar","device":"lidar","atMs":10.02,"quality":"good","distanceM":12.5,"signalStrength":900,"temperatureC":41}
 * Times are the runtime clock's ms; only differences from startMs mean anything.
 */
export interface RecordingHeader {
  readonly edgert: 'recording'
  readonly version: 1
  readonly board: string
  readonly tasks: string
  readonly startMs: number
}

export interface RecordedReading extends Reading {
  readonly task: string
  readonly device: string
  readonly [field: string]: unknown
}

export function headerLine(header: Omit<RecordingHeader, 'edgert' | 'version'>): string {
  return `${JSON.stringify({ edgert: 'recording', version: 1, ...header })}\n`
}

export function readingLine(task: string, device: string, reading: Reading): string {
  return `${JSON.stringify({ task, device, ...reading })}\n`
}
