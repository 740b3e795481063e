import { connect, type IClientOptions, type MqttClient } from 'mqtt'
import type { Clock } from '../clock.ts'
import { LinkError } from './link-error.ts'
import { PendingSends } from './pending-sends.ts'

/** How a connection ended: `reason` is for people (logs, the offline state), never for decisions. */
export interface ConnectionEnd {
  readonly reason: string
  /** Whether the broker accepted this connection (CONNACK 0) before it ended. */
  readonly wasConnected: boolean
}

export interface ConnectionHandlers {
  readonly onConnected: (sessionPresent: boolean) => void
  readonly onMessage: (topic: string, payload: Buffer) => void
}

export interface ConnectionSettings {
  readonly maxInFlight: number
  readonly clock: Clock
}

/**
 * One mqtt.js client for exactly one network connection, from CONNECT until the socket closes.
 *
 * It never reconnects: the link opens a new Connection for every attempt. So no mqtt.js store,
 * offline queue or stale callback outlives its connection (dependencies.md §4: the stores are
 * in memory only, and `reconnect()` without arguments drops them and strands their promises).
 *
 * Contract:
 * - `ended` resolves (never rejects) once the socket has closed, for whatever reason.
 * - When it ends, every unfinished publish rejects at once: kind 'closed' if `end()` was called,
 *   else 'offline'. A publish while not connected rejects with 'offline' and sends nothing.
 * - `end()` resolves within `boundMs` plus one socket close, whatever the broker does.
 */
export class Connection {
  readonly ended: Promise<ConnectionEnd>
  readonly #client: MqttClient
  readonly #clock: Clock
  readonly #sends: PendingSends
  #connected = false
  #wasConnected = false
  #ending = false
  #lastProblem: string | undefined

  /** Throws what mqtt.connect() throws synchronously (a URL it cannot parse). */
  constructor(url: string, options: IClientOptions, settings: ConnectionSettings, handlers: ConnectionHandlers) {
    this.#clock = settings.clock
    this.#sends = new PendingSends(settings.maxInFlight)
    this.#client = connect(url, options)
    setNoDelay(this.#client)
    this.ended = new Promise<ConnectionEnd>(resolve => {
      this.#client.on('close', () => resolve(this.#onClose()))
    })
    this.#client.on('connect', connack => {
      this.#connected = true
      this.#wasConnected = true
      handlers.onConnected(connack.sessionPresent)
    })
    this.#client.on('message', (topic, payload) => handlers.onMessage(topic, payload))
    // Every error is followed by 'close' (refused CONNACK, connack timeout, keepalive timeout,
    // socket errors), which is where the connection ends. Never end() here: MQTT.js#1466.
    this.#client.on('error', error => {
      this.#lastProblem = describe(error)
    })
    this.#client.on('disconnect', packet => {
      this.#lastProblem = `the broker sent DISCONNECT (reason code ${packet.reasonCode ?? 0})`
    })
    // 'offline' is only emitted with reconnectPeriod > 0 and 'end' only after end(); handled so
    // that no mqtt.js event goes unobserved.
    this.#client.on('offline', () => undefined)
    this.#client.on('end', () => undefined)
  }

  get connected(): boolean {
    return this.#connected
  }

  get inFlight(): number {
    return this.#sends.inFlight
  }

  /** With `flush`, the packet (and whatever was written before it) goes to the socket before this returns: see flushSocket(). */
  publish(topic: string, payload: string | Buffer, qos: 0 | 1, retain: boolean, flush = false): Promise<void> {
    if (!this.#connected) {
      return Promise.reject(new LinkError(this.#ending ? 'closed' : 'offline', `not connected; not sent to ${topic}`))
    }
    const send = (done: (error?: LinkError) => void): void => {
      try {
        this.#client.publish(topic, payload, { qos, retain }, error => {
          done(error === undefined || error === null ? undefined : this.#toLinkError(error))
        })
        if (flush) flushSocket(this.#client)
      } catch (error) {
        done(this.#toLinkError(error))
      }
    }
    return qos === 1 ? this.#sends.acked(send) : this.#sends.written(send)
  }

  /** Sends SUBSCRIBE if connected; a refusal is reported as a process warning (it cannot be retried usefully). */
  subscribe(topicFilter: string, qos: 0 | 1): void {
    if (!this.#connected) return
    this.#client.subscribe(topicFilter, { qos }, error => {
      if (error !== null && error !== undefined && this.#connected && !this.#ending) {
        process.emitWarning(`MQTT subscribe to ${topicFilter} failed: ${describe(error)}`, { code: 'EDGERT_MQTT_SUBSCRIBE' })
      }
    })
  }

  /** Resolves when no QoS 1 publish is in flight or waiting for a slot, or the connection has ended. */
  whenIdle(): Promise<void> {
    return this.#sends.whenIdle()
  }

  /**
   * Fails every unfinished publish with kind 'closed', then sends DISCONNECT if connected, so the
   * broker discards the will (MQTT-3.14.4-3), and closes the socket. If the
   * socket has not closed after `boundMs` (a hung broker never answers the FIN), it is destroyed.
   */
  async end(boundMs: number): Promise<void> {
    if (!this.#ending) {
      this.#ending = true
      this.#sends.failAll(new LinkError('closed', 'the link was closed before the PUBACK'))
      // mqtt.js end(false) waits for 'outgoingEmpty', forever if the broker never acks
      // (dependencies.md §4 item 8); our callers have already been answered, so drop mqtt.js's copies.
      for (const messageId of Object.keys(this.#client.outgoing)) this.#client.removeOutgoingMessage(Number(messageId))
      this.#client.end(!this.#connected)
    }
    const stop = new AbortController()
    const timeUp = this.#clock.sleep(boundMs, stop.signal).then(() => false, () => false)
    const closedInTime = await Promise.race([this.ended.then(() => true), timeUp])
    stop.abort()
    if (!closedInTime) {
      this.#client.stream.destroy()
      await this.ended
    }
  }

  #onClose(): ConnectionEnd {
    this.#connected = false
    const reason = this.#ending
      ? 'closed by the link'
      : (this.#lastProblem ?? (this.#wasConnected ? 'the connection was closed by the broker or the network' : 'the connection closed before CONNACK'))
    this.#sends.failAll(new LinkError(this.#ending ? 'closed' : 'offline', `connection lost before the PUBACK: ${reason}`))
    // Releases mqtt.js's state for this client; the callbacks it flushes were already answered.
    this.#client.end(true)
    return { reason, wasConnected: this.#wasConnected }
  }

  #toLinkError(error: unknown): LinkError {
    // mqtt.js ErrorWithReasonCode: a numeric MQTT reason code from the broker (v5 PUBACK ≥ 0x80).
    if (typeof (error as { code?: unknown }).code === 'number') return new LinkError('rejected', describe(error), { cause: error })
    return new LinkError(this.#ending ? 'closed' : 'offline', describe(error), { cause: error })
  }
}

/**
 * TCP_NODELAY on the client socket. Without it, an alarm written right after a telemetry message
 * waits for the broker's delayed ACK: 24–38 ms at p50 on loopback, ~0.2 ms with it
 * (timing-and-throughput.md, addendum). mqtt.js creates its socket synchronously inside
 * connect(): a net.Socket for mqtt://, a TLSSocket (which forwards to its TCP handle) for
 * mqtts://. Set before the handshake, libuv applies it to the socket it then creates.
 */
function setNoDelay(client: MqttClient): void {
  const socket = client.stream as { setNoDelay?: (noDelay?: boolean) => unknown }
  socket.setNoDelay?.(true)
}

/**
 * Hands what mqtt.js has written to the socket now. mqtt-packet's writeToStream() corks the
 * stream for every packet and uncorks it in process.nextTick, so that a packet's header, topic
 * and payload leave in one writev. That tick comes only when the JavaScript running now, and
 * every microtask it queues, is done: the rest of the sampling job, its output and state
 * messages, whatever else is ready. Measured in the alarm latency bench (bench/mqtt-alarm-latency.ts):
 * 0.3 ms at p50 and ~3 ms at p99 from the alarm's publish to its write(2). Uncorking fully
 * here still writes the packet in one writev; the uncorks mqtt-packet has queued find the
 * stream uncorked and do nothing (Writable.uncork() only counts down while corked).
 */
function flushSocket(client: MqttClient): void {
  const stream = client.stream as { writableCorked?: number; uncork?: () => void }
  if (typeof stream.uncork !== 'function') return
  while ((stream.writableCorked ?? 0) > 0) stream.uncork()
}

/** A one-line description; Node's AggregateError (happy eyeballs to `localhost`) has an empty message. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  if (error.message !== '') return error.message
  const inner = error instanceof AggregateError ? error.errors.map(describe).join('; ') : ''
  const code = (error as { code?: unknown }).code
  return inner !== '' ? inner : typeof code === 'string' || typeof code === 'number' ? String(code) : error.name
}
