import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { systemClock, wallNow } from '../clock.ts'
import { packageRoot } from '../config/package-root.ts'
import type { EmbeddedBroker } from '../mqtt/embedded-broker.ts'
import { MqttLink, type LinkOptions, type LinkState } from '../mqtt/link.ts'
import { Outbox } from '../outbox/outbox.ts'
import { DEFAULT_BATCH_LIMITS } from '../telemetry/batcher.ts'
import { DeviceTelemetry, type CommandTarget } from '../telemetry/device-telemetry.ts'
import { statusMessage } from '../telemetry/messages.ts'
import { DEFAULT_TOPIC_PREFIX, topicLevelProblem, Topics } from '../telemetry/topics.ts'
import { UsageError } from './exit-codes.ts'

/** `edgert run`'s MQTT options (docs/telemetry.md). */
export interface TelemetrySettings {
  /** 'embedded' (default): an in-process broker on 127.0.0.1; 'none': no MQTT at all; else a broker URL. */
  readonly broker: string
  readonly deviceId?: string | undefined
  readonly topicPrefix?: string | undefined
  readonly mqttVersion?: 4 | 5 | undefined
  readonly username?: string | undefined
  readonly password?: string | undefined
  /** File names of PEM files for mqtts://. */
  readonly ca?: string | undefined
  readonly cert?: string | undefined
  readonly key?: string | undefined
  /** Where the outbox lives; undefined: a temporary folder removed at the end (a scenario run). */
  readonly outboxDir: string | undefined
  readonly outboxMaxBytes: number
}

export interface RunningTelemetry {
  readonly telemetry: DeviceTelemetry
  readonly url: string
  readonly deviceId: string
  /** Announces the device (online, or safe-mode with why) and listens for commands. */
  start(target: CommandTarget, running?: Parameters<DeviceTelemetry['start']>[1]): Promise<void>
  stop(): Promise<void>
}

/** The embedded broker's usual port; when it is taken, a free one is used and said. */
const EMBEDDED_PORT = 1883

/** A device id from the host name: lowercase letters, digits and - (a topic level). */
export function defaultDeviceId(): string {
  const id = hostname().toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '')
  return id === '' ? 'edgert' : id
}

/**
 * Opens what `edgert run` needs for MQTT: the broker (embedded unless --broker), the durable
 * outbox, the link (with its last will: status offline) and the device telemetry. Nothing is
 * sent before start(). Returns undefined with `--broker none`.
 */
export async function openTelemetry(settings: TelemetrySettings, notice: (message: string, level: 'info' | 'warn' | 'error') => void, onUnstorable: (reason: string) => void): Promise<RunningTelemetry | undefined> {
  if (settings.broker === 'none') return undefined
  const deviceId = settings.deviceId ?? defaultDeviceId()
  const prefix = settings.topicPrefix ?? DEFAULT_TOPIC_PREFIX
  for (const [option, value] of [['--device-id', deviceId], ['--topic-prefix', prefix]] as const) {
    const problem = topicLevelProblem(value)
    if (problem !== undefined) throw new UsageError(`${option}: ${problem}`)
  }
  const link = linkSettings(settings)
  let embedded: EmbeddedBroker | undefined
  let url = settings.broker
  if (settings.broker === 'embedded') {
    // Loaded only when used: aedes is several MB of a device's memory that talks to a real broker.
    const { startEmbeddedBroker } = await import('../mqtt/embedded-broker.ts')
    embedded = await startEmbeddedBroker({ port: EMBEDDED_PORT }).catch(async (error: unknown) => {
      if ((error as { code?: unknown }).code !== 'EADDRINUSE') throw error
      const fallback = await startEmbeddedBroker({ port: 0 })
      notice(`port ${EMBEDDED_PORT} is in use; the embedded broker listens on ${fallback.url} instead`, 'warn')
      return fallback
    })
    url = embedded.url
  }
  const temporary = settings.outboxDir === undefined ? mkdtempSync(join(tmpdir(), 'edgert-outbox-')) : undefined
  const dir = settings.outboxDir ?? temporary!
  const { outbox, report } = await Outbox.open({ dir, maxBytes: settings.outboxMaxBytes, wallNow, now: () => systemClock.now(), onError: error => notice(`outbox: ${error.message}`, 'error') })
  for (const problem of report.problems) notice(`outbox: ${problem}`, 'warn')
  if (report.entries > 0) notice(`outbox: ${report.entries} message(s) from before this start are waiting to be sent (historical)`, 'info')
  const identity = { deviceId, bootId: randomUUID() }
  const topics = new Topics(prefix, deviceId)
  const version = packageVersion()
  const startedAtWallMs = wallNow()
  // The link's state callback needs the telemetry, which needs the link.
  const current: { telemetry?: DeviceTelemetry } = {}
  let lastState: string | undefined
  const mqtt = new MqttLink({
    ...link,
    url,
    clientId: `edgert-${deviceId}`,
    will: { topic: topics.status, payload: statusMessage(identity, 'offline', version, startedAtWallMs, 'connection lost'), retain: true, qos: 1 },
    clock: systemClock,
    onState: state => {
      if (state.state === 'connected') current.telemetry?.connected()
      if (state.state === 'offline') current.telemetry?.offline()
      const line = describeState(state, url)
      if (line !== undefined && line !== lastState) notice(line, state.state === 'connected' ? 'info' : 'warn')
      lastState = line
    },
  })
  const telemetry = new DeviceTelemetry({
    identity,
    topics,
    version,
    link: mqtt,
    outbox,
    clock: systemClock,
    wallNow,
    batchLimits: () => DEFAULT_BATCH_LIMITS,
    onUnstorable: reason => {
      notice(`ALARM PATH DEGRADED (outputs to their safe levels): ${reason}`, 'error')
      onUnstorable(reason)
    },
    onNotice: message => notice(message, 'warn'),
  })
  current.telemetry = telemetry
  const running = telemetry
  mqtt.start()
  return {
    telemetry: running,
    url,
    deviceId,
    start: (target, state) => running.start(target, state),
    stop: async () => {
      await running.stop()
      await mqtt.close({ graceful: true })
      await outbox.close()
      await embedded?.close()
      if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true })
    },
  }
}

function describeState(state: LinkState, url: string): string | undefined {
  if (state.state === 'connected') return `MQTT: connected to ${url}`
  if (state.state === 'offline') return `MQTT: ${url} unreachable (${state.reason}); retrying, and keeping every message in the outbox meanwhile`
  return undefined
}

function linkSettings(settings: TelemetrySettings): Omit<LinkOptions, 'url' | 'clientId' | 'clock'> {
  const read = (file: string | undefined, option: string): string | undefined => {
    if (file === undefined) return undefined
    try {
      return readFileSync(file, 'utf8')
    } catch (error) {
      throw new UsageError(`${option} ${file}: ${(error as Error).message}`)
    }
  }
  const ca = read(settings.ca, '--ca')
  const cert = read(settings.cert, '--cert')
  const key = read(settings.key, '--key')
  const tls = ca === undefined && cert === undefined && key === undefined ? undefined : { ...(ca === undefined ? {} : { ca }), ...(cert === undefined ? {} : { cert }), ...(key === undefined ? {} : { key }) }
  return {
    ...(settings.mqttVersion === undefined ? {} : { protocolVersion: settings.mqttVersion }),
    ...(settings.username === undefined ? {} : { username: settings.username }),
    ...(settings.password === undefined ? {} : { password: settings.password }),
    ...(tls === undefined ? {} : { tls }),
  }
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown'
  } catch {
    return 'unknown'
  }
}
