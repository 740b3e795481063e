import type { ActuatorChange } from '../actuators.ts'
import type { AlarmEvent, AlarmStatus } from '../alarms/engine.ts'

/**
 * The JSON bodies the device publishes (docs/telemetry.md). Every body carries `deviceId` and
 * `bootId`; times are epoch ms (`t`, `…At` as ISO text where people read them). Pure: the
 * caller gives the wall-clock times.
 */
export interface DeviceIdentity {
  readonly deviceId: string
  /** A fresh random id per process start: (deviceId, bootId, seq) names a message for de-duplication. */
  readonly bootId: string
}

export type DeviceState = 'online' | 'offline' | 'safe-mode'

export function statusMessage(id: DeviceIdentity, state: DeviceState, version: string, startedAtWallMs: number, detail?: string): string {
  return JSON.stringify({ ...id, state, version, startedAt: new Date(startedAtWallMs).toISOString(), ...(detail === undefined ? {} : { detail }) })
}

/** One reading as telemetry carries it: its seq (consecutive per task within a boot), time, quality and the values worth reporting. */
export interface TelemetryReading {
  readonly seq: number
  readonly t: number
  readonly quality: 'good' | 'stale' | 'fault'
  readonly fault?: string
  readonly values: Readonly<Record<string, number | null>>
}

export function telemetryBatchMessage(id: DeviceIdentity, taskId: string, readings: readonly TelemetryReading[]): string {
  return JSON.stringify({ ...id, taskId, readings })
}

/** A transition, on `alarms/<id>/events`; `seq` is consecutive per device within a boot. */
export function alarmEventMessage(id: DeviceIdentity, seq: number, event: AlarmEvent, wallMs: number): string {
  const { atMs: _atMs, inputs, ...rest } = event
  return JSON.stringify({ ...id, seq, t: wallMs, ...rest, inputs: inputs.map(input => ({ ...input, value: finiteOrNull(input.value) })) })
}

/** The retained current state, on `alarms/<id>`. */
export function alarmStateMessage(id: DeviceIdentity, status: AlarmStatus, toWallMs: (atMs: number) => number): string {
  const { raisedAtMs, shelvedUntilMs, ...rest } = status
  return JSON.stringify({
    ...id,
    ...rest,
    raisedAt: raisedAtMs === null ? null : new Date(toWallMs(raisedAtMs)).toISOString(),
    shelvedUntil: shelvedUntilMs === null ? null : new Date(toWallMs(shelvedUntilMs)).toISOString(),
  })
}

/** The retained level of an output, on `actuators/<name>`. */
export function actuatorMessage(id: DeviceIdentity, change: Pick<ActuatorChange, 'level' | 'cause' | 'by'>, wallMs: number): string {
  return JSON.stringify({ ...id, level: change.level, cause: change.cause, ...(change.by === undefined ? {} : { by: change.by }), t: wallMs })
}

export function commandResultMessage(id: DeviceIdentity, result: { readonly id: string | null; readonly command: string; readonly accepted: boolean; readonly reason?: string }, wallMs: number): string {
  return JSON.stringify({ ...id, ...result, t: wallMs })
}

/** JSON has no Infinity: a time-to-collision with nothing closing is reported as null. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null
}
