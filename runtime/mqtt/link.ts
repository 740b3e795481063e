import type { IClientOptions } from 'mqtt'
import type { Clock } from '../clock.ts'
import { checkBackoff, DEFAULT_BACKOFF, retryDelayMs, type Backoff } from './backoff.ts'
import { clientOptions } from './client-options.ts'
import { Connection, type ConnectionEnd } from './connection.ts'
import { LinkError } from './link-error.ts'
import { isTopicFilter, isTopicName, topicMatches } from './topic-filter.ts'

export { LinkError, type LinkErrorKind } from './link-error.ts'

export interface LinkOptions {
  /** `mqtt://host:port` or `mqtts://host:port`. */
  readonly url: string
  /** Stable per device: the broker takes over (drops) an older connection with the same id. */
  readonly clientId: string
  /** 4 = MQTT 3.1.1 (default; the embedded aedes broker speaks only this), 5 = MQTT 5. */
  readonly protocolVersion?: 4 | 5
  readonly username?: string
  readonly password?: string
  /** PEM text, not file names: the caller reads the files. */
  readonly tls?: { readonly ca?: string; readonly cert?: string; readonly key?: string; readonly rejectUnauthorized?: boolean }
  /** Published by the broker if this connection ends without DISCONNECT (crash, network loss). */
  readonly will?: { readonly topic: string; readonly payload: string; readonly retain: boolean; readonly qos: 0 | 1 }
  /** Default 10: a silent broker is given up after 1.5 × keepalive (mqtt.js KeepaliveManager). 0 turns it off. */
  readonly keepaliveS?: number
  /** Default 5 s (mqtt.js: 30 s): how long one attempt waits for CONNACK, so a black-holed broker costs little. */
  readonly connectTimeoutMs?: number
  /** Default 250 ms doubling to 10 s, ±25 % jitter, never above `maxMs`; reset after a successful connect. */
  readonly backoff?: Backoff
  /** QoS 1 publishes awaiting PUBACK at once, default 32; further ones wait for a slot. */
  readonly maxInFlight?: number
  /** The runtime clock; the back-off waits and close()'s bounds use it. */
  readonly clock: Clock
  /** Every state change, in order. Must not throw (a throw becomes a process warning). */
  readonly onState?: (state: LinkState) => void
}

export type LinkState =
  | { readonly state: 'connecting' }
  | { readonly state: 'connected'; readonly sessionPresent: boolean; readonly connectionCount: number }
  | { readonly state: 'offline'; readonly reason: string; readonly retryInMs: number }
  | { readonly state: 'closed' }

export type MessageHandler = (topic: string, payload: Buffer) => void

export interface PublishOptions {
  /** Default 1. */
  readonly qos?: 0 | 1
  readonly retain?: boolean
  /**
   * Write the packet to the socket before publish() returns (or, when it waits for an in-flight
   * slot, as soon as it gets one), not at the end of the current tick: for alarm events. It also
   * writes what was published before it in this tick, which it must follow on the wire anyway.
   */
  readonly flush?: boolean
}

const DEFAULT_MAX_IN_FLIGHT = 32
/** close({ graceful: true }) waits at most this long for in-flight PUBACKs. */
const GRACEFUL_WAIT_MS = 2_000
/** Then at most this long for DISCONNECT and the socket's close, before destroying the socket. */
const END_WAIT_MS = 1_000

interface Subscription {
  qos: 0 | 1
  readonly handlers: MessageHandler[]
}

/**
 * Our connection to one MQTT broker, over mqtt.js, for a device that must boot and run with the
 * broker down. It never queues: the outbox above it is the only store of unsent messages.
 *
 * Contract:
 * - `start()` connects in the background and retries with back-off forever; a down, refusing or
 *   black-holed broker shows up only in `onState` ('offline' with a reason), never as a throw.
 * - `publish()` at QoS 1 (the default) resolves on PUBACK; at QoS 0 when handed to the socket.
 *   Its bytes reach the socket at the end of the current tick, or at once with `flush`.
 *   It rejects with LinkError kind 'offline' at once when not connected, and when the connection
 *   is lost before the ack; kind 'closed' once `close()` has been called; kind 'rejected' when the
 *   broker refuses it (MQTT 5 reason code). It throws TypeError for an invalid topic name.
 * - `subscribe()` subscribes now if connected and again on every connect (sessions are clean).
 *   A handler sees every message whose topic matches its filter; overlapping filters may see a
 *   message twice. Handlers added for a filter already subscribed miss its retained messages.
 * - Messages carry no ordering promise across connections; put a sequence number in payloads.
 * - `close()` ends the connection with DISCONNECT (the will is not published) within
 *   ~GRACEFUL_WAIT_MS + END_WAIT_MS, leaves no timer or socket behind, and publishes nothing.
 */
export class MqttLink {
  readonly #url: string
  readonly #clock: Clock
  readonly #backoff: Backoff
  readonly #maxInFlight: number
  readonly #onState: ((state: LinkState) => void) | undefined
  readonly #clientOptions: IClientOptions
  readonly #subscriptions = new Map<string, Subscription>()
  readonly #stop = new AbortController()
  #phase: 'new' | 'running' | 'closing' | 'closed' = 'new'
  #connection: Connection | undefined
  #connectionCount = 0
  #loop: Promise<void> | undefined
  #closing: Promise<void> | undefined

  /** Throws TypeError / RangeError for options that can never work (bad URL, maxInFlight 0, …). */
  constructor(options: LinkOptions) {
    this.#url = options.url
    this.#clientOptions = clientOptions(options)
    this.#clock = options.clock
    this.#backoff = checkBackoff(options.backoff ?? DEFAULT_BACKOFF)
    this.#maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT
    if (!Number.isInteger(this.#maxInFlight) || this.#maxInFlight < 1) {
      throw new RangeError(`maxInFlight must be an integer >= 1, got ${this.#maxInFlight}`)
    }
    this.#onState = options.onState
  }

  /** Throws Error if called twice or after close(). */
  start(): void {
    if (this.#phase !== 'new') throw new Error(`MqttLink.start(): the link is already ${this.#phase}`)
    this.#phase = 'running'
    this.#loop = this.#run().catch((error: unknown) => warn('the MQTT link stopped reconnecting', error))
  }

  get connected(): boolean {
    return this.#phase === 'running' && this.#connection?.connected === true
  }

  /** QoS 1 publishes sent on the current connection and not yet acknowledged. */
  get inFlight(): number {
    return this.#connection?.inFlight ?? 0
  }

  publish(topic: string, payload: string | Uint8Array, options: PublishOptions = {}): Promise<void> {
    if (!isTopicName(topic)) throw new TypeError(`not a valid MQTT topic name: ${JSON.stringify(topic)}`)
    if (this.#phase === 'closing' || this.#phase === 'closed') {
      return Promise.reject(new LinkError('closed', `the link is closed; not sent to ${topic}`))
    }
    const connection = this.#connection
    if (connection === undefined || !connection.connected) {
      return Promise.reject(new LinkError('offline', `not connected to ${this.#url}; not sent to ${topic}`))
    }
    return connection.publish(topic, asBuffer(payload), options.qos ?? 1, options.retain ?? false, options.flush ?? false)
  }

  /** `qos` defaults to 1. Throws TypeError for an invalid filter, Error after close(). */
  subscribe(topicFilter: string, onMessage: MessageHandler, options: { qos?: 0 | 1 } = {}): void {
    if (!isTopicFilter(topicFilter)) throw new TypeError(`not a valid MQTT topic filter: ${JSON.stringify(topicFilter)}`)
    if (this.#phase === 'closing' || this.#phase === 'closed') throw new Error('MqttLink.subscribe(): the link is closed')
    const qos = options.qos ?? 1
    const existing = this.#subscriptions.get(topicFilter)
    if (existing !== undefined) {
      existing.handlers.push(onMessage)
      // Re-subscribing replaces the subscription and re-sends retained messages (MQTT-3.8.4-3), so only when the QoS goes up.
      if (qos <= existing.qos) return
      existing.qos = qos
    } else {
      this.#subscriptions.set(topicFilter, { qos, handlers: [onMessage] })
    }
    this.#connection?.subscribe(topicFilter, qos)
  }

  /** Idempotent: later calls return the first call's promise. */
  close(options: { graceful?: boolean } = {}): Promise<void> {
    this.#closing ??= this.#shutDown(options.graceful === true)
    return this.#closing
  }

  async #shutDown(graceful: boolean): Promise<void> {
    this.#phase = 'closing'
    this.#stop.abort()
    const connection = this.#connection
    if (connection !== undefined) {
      if (graceful && connection.connected) await this.#within(connection.whenIdle(), GRACEFUL_WAIT_MS)
      await connection.end(END_WAIT_MS)
    }
    await this.#loop
    this.#phase = 'closed'
    this.#report({ state: 'closed' })
  }

  async #run(): Promise<void> {
    let failures = 0
    while (!this.#stop.signal.aborted) {
      this.#report({ state: 'connecting' })
      const end = await this.#connectOnce()
      if (this.#stop.signal.aborted) return
      if (end.wasConnected) failures = 0
      const retryInMs = retryDelayMs(this.#backoff, failures++, Math.random)
      this.#report({ state: 'offline', reason: end.reason, retryInMs })
      const slept = await this.#clock.sleep(retryInMs, this.#stop.signal).then(() => true, () => false)
      if (!slept) return
    }
  }

  /** One attempt: resolves when that connection has ended, however it went. */
  async #connectOnce(): Promise<ConnectionEnd> {
    let connection: Connection
    try {
      connection = new Connection(this.#url, this.#clientOptions, { maxInFlight: this.#maxInFlight, clock: this.#clock }, {
        onConnected: sessionPresent => this.#onConnected(connection, sessionPresent),
        onMessage: (topic, payload) => this.#dispatch(topic, payload),
      })
    } catch (error) {
      return { reason: error instanceof Error ? error.message : String(error), wasConnected: false }
    }
    this.#connection = connection
    const end = await connection.ended
    this.#connection = undefined
    return end
  }

  #onConnected(connection: Connection, sessionPresent: boolean): void {
    if (this.#stop.signal.aborted) return
    for (const [topicFilter, { qos }] of this.#subscriptions) connection.subscribe(topicFilter, qos)
    this.#report({ state: 'connected', sessionPresent, connectionCount: ++this.#connectionCount })
  }

  #dispatch(topic: string, payload: Buffer): void {
    for (const [topicFilter, { handlers }] of this.#subscriptions) {
      if (!topicMatches(topicFilter, topic)) continue
      for (const handler of handlers) {
        try {
          handler(topic, payload)
        } catch (error) {
          warn(`the MQTT message handler for ${topicFilter} threw`, error)
        }
      }
    }
  }

  /** Waits for `work` or `boundMs`, whichever comes first, leaving no timer behind. */
  async #within(work: Promise<void>, boundMs: number): Promise<void> {
    const stop = new AbortController()
    await Promise.race([work, this.#clock.sleep(boundMs, stop.signal).catch(() => undefined)])
    stop.abort()
  }

  #report(state: LinkState): void {
    try {
      this.#onState?.(state)
    } catch (error) {
      warn('the MQTT link onState callback threw', error)
    }
  }
}

function asBuffer(payload: string | Uint8Array): string | Buffer {
  if (typeof payload === 'string' || Buffer.isBuffer(payload)) return payload
  return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)
}

/** A caller's bug must neither crash the device nor vanish: it goes to stderr as a process warning. */
function warn(what: string, error: unknown): void {
  process.emitWarning(`${what}: ${error instanceof Error ? error.message : String(error)}`, { code: 'EDGERT_MQTT_LINK' })
}
