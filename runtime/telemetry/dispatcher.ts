import type { Clock } from '../clock.ts'
import type { LinkError } from '../mqtt/link.ts'
import type { AppendResult, Outbox, OutboxClass, OutboxEntry } from '../outbox/outbox.ts'

/** What the dispatcher needs of the MQTT link (runtime/mqtt/link.ts). */
export interface PublishLink {
  readonly connected: boolean
  /** `flush`: write it to the socket now, not at the end of the tick (MqttLink PublishOptions). */
  publish(topic: string, payload: string, options: { qos: 1; retain: boolean; flush: boolean }): Promise<void>
}

export interface DispatcherOptions {
  readonly outbox: Outbox
  readonly link: PublishLink
  readonly clock: Clock
  readonly wallNow: () => number
  /** Publishes awaiting their PUBACK at once. */
  readonly window?: number
  /** Backlog (historical) state and telemetry messages per second, so live ones are never stuck behind it. */
  readonly backlogPerSecond?: number
  readonly onError?: (error: Error) => void
}

export interface DispatcherStats {
  readonly published: number
  /** Sends that did not get their PUBACK (the entry stayed in the outbox and went again). */
  readonly retried: number
  /** Retained state messages that a newer one for the same topic made pointless before they were sent. */
  readonly superseded: number
  /** Age of the oldest backlog entry still waiting, ms (0: none). */
  readonly replayLagMs: number
  readonly inFlight: number
}

const DEFAULT_WINDOW = 16
const DEFAULT_BACKLOG_PER_SECOND = 200

/**
 * Moves messages from the durable outbox to the broker (ARCHITECTURE.md decision 5). Every
 * message is appended to the outbox first and leaves it only on its PUBACK. The send order, as
 * the window allows:
 * 1. live alarm events (appended since the current connection was made);
 * 2. backlog alarm events (appended before it: an outage, or a previous run), oldest first;
 * 3. live state and telemetry;
 * 4. backlog state and telemetry, at most backlogPerSecond.
 * Backlog messages carry `"historical": true`. A retained state message (status, alarm state,
 * output) is dropped unsent when a newer one for the same topic is waiting, and states left from
 * a previous run are dropped at start: the new run announces its own.
 */
export class Dispatcher {
  readonly #outbox: Outbox
  readonly #link: PublishLink
  readonly #clock: Clock
  readonly #wallNow: () => number
  readonly #window: number
  readonly #backlogPerSecond: number
  readonly #onError: DispatcherOptions['onError']
  /** The newest state entry per topic: an older one is superseded. */
  readonly #latestState = new Map<string, number>()
  #inFlight = 0
  /** Entries with an id below this were appended before the current connection: backlog. */
  #liveFromId = Number.POSITIVE_INFINITY
  #lastAppendedId = 0
  #tokens = 0
  #tokensAtMs = 0
  #published = 0
  #retried = 0
  #superseded = 0
  #refill: AbortController | undefined

  constructor(options: DispatcherOptions) {
    this.#outbox = options.outbox
    this.#link = options.link
    this.#clock = options.clock
    this.#wallNow = options.wallNow
    this.#window = options.window ?? DEFAULT_WINDOW
    this.#backlogPerSecond = options.backlogPerSecond ?? DEFAULT_BACKLOG_PER_SECOND
    this.#onError = options.onError
    for (const entry of this.#outbox.take(Number.MAX_SAFE_INTEGER, stale => stale.cls === 'state' && stale.retain)) {
      this.#outbox.ack(entry.id)
      this.#superseded++
    }
  }

  /** Appends a message to the outbox and sends what the window allows. */
  send(cls: OutboxClass, topic: string, payload: string, retain = false): AppendResult {
    const result = this.#outbox.append(cls, topic, payload, retain)
    if (result.ok) {
      this.#lastAppendedId = result.entry.id
      if (cls === 'state' && retain) this.#latestState.set(topic, result.entry.id)
      this.pump()
    }
    return result
  }

  /** The link connected: what is pending now is backlog; everything goes out again. */
  connected(): void {
    this.#outbox.releaseAll()
    this.#liveFromId = this.#lastAppendedId + 1
    this.#tokens = this.#backlogPerSecond
    this.#tokensAtMs = this.#clock.now()
    this.pump()
  }

  /** The link went offline: in-flight entries go back to pending (their publishes reject too). */
  offline(): void {
    this.#outbox.releaseAll()
  }

  /** Sends as much as the window and the backlog rate allow. */
  pump(): void {
    if (!this.#link.connected) return
    const live = (entry: OutboxEntry): boolean => entry.id >= this.#liveFromId
    this.#sendFrom(entry => entry.cls === 'alarm' && live(entry))
    this.#sendFrom(entry => entry.cls === 'alarm')
    this.#sendFrom(live)
    this.#refillTokens()
    const budget = Math.floor(this.#tokens)
    if (budget > 0) this.#tokens -= this.#sendFrom(() => true, budget)
    if (this.#outbox.stats.depth > this.#inFlight && this.#tokens < 1) this.#scheduleRefill()
  }

  get stats(): DispatcherStats {
    const oldest = this.#outbox.stats.oldestAppendedAtWallMs
    return {
      published: this.#published,
      retried: this.#retried,
      superseded: this.#superseded,
      replayLagMs: oldest === null ? 0 : Math.max(0, this.#wallNow() - oldest),
      inFlight: this.#inFlight,
    }
  }

  /** Stops the refill timer (the link and outbox are closed by their owner). */
  close(): void {
    this.#refill?.abort()
  }

  /** Takes and publishes up to `limit` (and the window) entries that pass `filter`; returns how many went. */
  #sendFrom(filter: (entry: OutboxEntry) => boolean, limit = Number.MAX_SAFE_INTEGER): number {
    let sent = 0
    while (this.#inFlight < this.#window && sent < limit && this.#link.connected) {
      const [entry] = this.#outbox.take(1, filter)
      if (entry === undefined) break
      if (entry.cls === 'state' && entry.retain && (this.#latestState.get(entry.topic) ?? entry.id) > entry.id) {
        this.#outbox.ack(entry.id) // a newer state for this topic is waiting: this one would be overwritten at once
        this.#superseded++
        continue
      }
      this.#publish(entry)
      sent++
    }
    return sent
  }

  #publish(entry: OutboxEntry): void {
    this.#inFlight++
    const payload = entry.id < this.#liveFromId ? historical(entry.payload) : entry.payload
    // An alarm event leaves at once; the rest may share a write with what else goes out this tick.
    this.#link.publish(entry.topic, payload, { qos: 1, retain: entry.retain, flush: entry.cls === 'alarm' }).then(
      () => {
        this.#inFlight--
        this.#published++
        this.#outbox.ack(entry.id)
        this.pump()
      },
      (error: unknown) => {
        this.#inFlight--
        this.#retried++
        this.#outbox.release(entry.id)
        const kind = (error as Partial<LinkError>).kind
        if (kind !== 'offline' && kind !== 'closed') this.#onError?.(error instanceof Error ? error : new Error(String(error)))
      },
    )
  }

  #refillTokens(): void {
    const nowMs = this.#clock.now()
    this.#tokens = Math.min(this.#backlogPerSecond, this.#tokens + ((nowMs - this.#tokensAtMs) * this.#backlogPerSecond) / 1000)
    this.#tokensAtMs = nowMs
  }

  /** With backlog waiting and no tokens, pumps again once one has come. */
  #scheduleRefill(): void {
    if (this.#refill !== undefined) return
    const refill = new AbortController()
    this.#refill = refill
    this.#clock.sleep(1000 / this.#backlogPerSecond, refill.signal).then(
      () => {
        this.#refill = undefined
        this.pump()
      },
      () => undefined,
    )
  }
}

/** `{"a":1}` → `{"historical":true,"a":1}`: the message was kept through an outage or a restart. */
function historical(payload: string): string {
  return payload.startsWith('{') && !payload.startsWith('{}') ? `{"historical":true,${payload.slice(1)}` : payload
}
