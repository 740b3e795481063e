import type { IClientOptions } from 'mqtt'
import type { LinkOptions } from './link.ts'

const DEFAULT_KEEPALIVE_S = 10
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000
/** MQTT-3.1.1 §3.1.2.10: the keep-alive is a 16-bit number of seconds. */
const MAX_KEEPALIVE_S = 65_535

/**
 * The mqtt.js options for one connection attempt. Throws TypeError / RangeError for options that
 * can never connect, so a bad config fails at start-up rather than as an endless 'offline'.
 *
 * Fixed choices, and why (dependencies.md §4):
 * - `reconnectPeriod: 0`: the link reconnects itself, with jittered back-off (item 6), on a new
 *   client each time (item 5).
 * - `queueQoSZero: false` and never publishing while offline: mqtt.js's queues are unbounded and
 *   in memory only (item 1); the outbox above the link keeps the records.
 * - `clean: true`, `resubscribe: false`: the link re-subscribes on every connect.
 * - `connectTimeout` 5 s rather than 30 s, so a black-holed broker costs one short attempt.
 * - mqtt.js's keep-alive gives up after 1.5 × `keepalive` without an answer (KeepaliveManager).
 */
export function clientOptions(options: LinkOptions): IClientOptions {
  const url = parseUrl(options.url)
  const keepaliveS = options.keepaliveS ?? DEFAULT_KEEPALIVE_S
  if (!Number.isInteger(keepaliveS) || keepaliveS < 0 || keepaliveS > MAX_KEEPALIVE_S) {
    throw new RangeError(`keepaliveS must be an integer from 0 to ${MAX_KEEPALIVE_S}, got ${keepaliveS}`)
  }
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  if (!(Number.isFinite(connectTimeoutMs) && connectTimeoutMs > 0)) {
    throw new RangeError(`connectTimeoutMs must be > 0, got ${connectTimeoutMs}`)
  }
  if (options.tls !== undefined && url.protocol !== 'mqtts:') {
    throw new TypeError(`tls options need an mqtts:// url, got ${options.url}`)
  }
  const result: IClientOptions = {
    clientId: options.clientId,
    protocolVersion: options.protocolVersion ?? 4,
    clean: true,
    keepalive: keepaliveS,
    connectTimeout: connectTimeoutMs,
    reconnectPeriod: 0,
    queueQoSZero: false,
    resubscribe: false,
  }
  if (options.username !== undefined) result.username = options.username
  if (options.password !== undefined) result.password = options.password
  if (options.will !== undefined) {
    const { topic, payload, qos, retain } = options.will
    result.will = { topic, payload: Buffer.from(payload), qos, retain }
  }
  if (options.tls !== undefined) Object.assign(result, tlsOptions(options.tls))
  return result
}

function parseUrl(text: string): URL {
  let url: URL
  try {
    url = new URL(text)
  } catch (error) {
    throw new TypeError(`not a broker URL: ${text}`, { cause: error })
  }
  if (url.protocol !== 'mqtt:' && url.protocol !== 'mqtts:') {
    throw new TypeError(`broker URL must start with mqtt:// or mqtts://, got ${text}`)
  }
  if (url.hostname === '') throw new TypeError(`broker URL has no host: ${text}`)
  return url
}

function tlsOptions(tls: NonNullable<LinkOptions['tls']>): IClientOptions {
  const result: IClientOptions = {}
  if (tls.ca !== undefined) result.ca = tls.ca
  if (tls.cert !== undefined) result.cert = tls.cert
  if (tls.key !== undefined) result.key = tls.key
  if (tls.rejectUnauthorized !== undefined) result.rejectUnauthorized = tls.rejectUnauthorized
  return result
}
