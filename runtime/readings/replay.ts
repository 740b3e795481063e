import { readFile } from 'node:fs/promises'
import type { Clock } from '../../drivers/hal/clock.ts'
import { DriverError, type Reading, type Sensor } from '../../drivers/sensors/sensor.ts'
import { ConfigError, type ConfigIssue } from '../config/config-error.ts'
import type { RecordedReading, RecordingHeader } from './recording.ts'

/** A recording as read back: readings per device, times relative to the recording's start. */
export interface Recording {
  readonly header: RecordingHeader
  /** device → readings in time order, each with `offsetMs` from the start. */
  readonly byDevice: ReadonlyMap<string, readonly { readonly offsetMs: number; readonly reading: Reading }[]>
}

/** Reads an NDJSON recording; every malformed line is reported with its line number, nothing is half-read. */
export async function readRecording(file: string): Promise<Recording> {
  const lines = (await readFile(file, 'utf8')).split('\n').filter(line => line.trim() !== '')
  const issues: ConfigIssue[] = []
  const parsed = lines.map((line, index) => {
    try {
      return JSON.parse(line) as unknown
    } catch (error) {
      issues.push({ file, path: `line ${index + 1}`, message: `not JSON: ${(error as Error).message}` })
      return undefined
    }
  })
  const header = parsed[0] as Partial<RecordingHeader> | undefined
  if (header?.edgert !== 'recording' || header.version !== 1 || typeof header.startMs !== 'number') {
    issues.push({ file, path: 'line 1', message: 'not an edgert recording (the first line must be {"edgert":"recording","version":1,…})' })
  }
  const byDevice = new Map<string, { offsetMs: number; reading: Reading }[]>()
  parsed.slice(1).forEach((value, index) => {
    const record = value as Partial<RecordedReading> | undefined
    if (record === undefined) return
    if (typeof record.device !== 'string' || typeof record.atMs !== 'number' || typeof record.quality !== 'string') {
      issues.push({ file, path: `line ${index + 2}`, message: 'a reading needs "device", "atMs" and "quality"' })
      return
    }
    const { task: _task, device, ...reading } = record as RecordedReading
    const list = byDevice.get(device) ?? []
    list.push({ offsetMs: record.atMs - (header?.startMs ?? 0), reading })
    byDevice.set(device, list)
  })
  if (issues.length > 0) throw new ConfigError(issues)
  return { header: header as RecordingHeader, byDevice }
}

/**
 * A Sensor that plays one device's recorded readings back on the runtime's clock, so a trace
 * goes through the same path (task, filters, alarms) as live data. Each sample() returns the
 * newest recorded reading that is due (its offset from the start has elapsed), re-stamped with
 * its time on this run's timeline. A sample before the first is due, or after the last one was
 * used, rejects with DriverError kind 'timeout', as a sensor that went quiet would.
 */
export class ReplaySensor implements Sensor {
  readonly #device: string
  readonly #readings: readonly { readonly offsetMs: number; readonly reading: Reading }[]
  readonly #clock: Clock
  readonly #startMs: number
  #next = 0

  constructor(device: string, readings: readonly { readonly offsetMs: number; readonly reading: Reading }[], clock: Clock, startMs: number) {
    this.#device = device
    this.#readings = readings
    this.#clock = clock
    this.#startMs = startMs
  }

  async init(): Promise<void> {}

  async sample(): Promise<Reading> {
    const elapsedMs = this.#clock.now() - this.#startMs
    let due: number | undefined
    while (this.#next < this.#readings.length && this.#readings[this.#next]!.offsetMs <= elapsedMs) due = this.#next++
    if (due === undefined) {
      const why = this.#next >= this.#readings.length ? 'the recording has no more readings' : 'no recorded reading is due yet'
      throw new DriverError(`replay:${this.#device}`, 'sample', 'timeout', why)
    }
    const { offsetMs, reading } = this.#readings[due]!
    return { ...reading, atMs: this.#startMs + offsetMs }
  }

  async close(): Promise<void> {}
}
