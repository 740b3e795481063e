import type { ActuatorChange } from '../actuators.ts'
import type { AlarmEvent, CommandReply } from '../alarms/engine.ts'
import type { Clock } from '../clock.ts'
import type { Outbox } from '../outbox/outbox.ts'
import type { RunStatus } from '../rt-thread/host.ts'
import type { RuntimeCommand } from '../rt-thread/runtime-command.ts'
import { TelemetryBatcher, type BatchLimits } from './batcher.ts'
import { CommandGate, parseCommand, type ParsedCommand } from './commands.ts'
import { Dispatcher, type PublishLink } from './dispatcher.ts'
import { actuatorMessage, alarmEventMessage, commandResultMessage, statusMessage, telemetryBatchMessage, type DeviceIdentity, type DeviceState } from './messages.ts'
import type { TapEntry } from './tap.ts'
import type { Topics } from './topics.ts'

/** What the telemetry needs of the MQTT link (runtime/mqtt/link.ts). */
export interface TelemetryLink extends PublishLink {
  subscribe(topicFilter: string, onMessage: (topic: string, payload: Buffer) => void, options?: { qos?: 0 | 1 }): void
  readonly inFlight: number
}

/** What the telemetry needs of the running runtime (the rt thread, or --thread main). */
export interface CommandTarget {
  command(command: RuntimeCommand): Promise<CommandReply>
  metrics(): Promise<RunStatus>
}

export interface DeviceTelemetryOptions {
  readonly identity: DeviceIdentity
  readonly topics: Topics
  readonly version: string
  readonly link: TelemetryLink
  readonly outbox: Outbox
  /** The main thread's clock (batch and metrics timers). */
  readonly clock: Clock
  readonly wallNow: () => number
  readonly batchLimits: (taskId: string) => BatchLimits
  readonly metricsEveryMs?: number
  /** An alarm event that could not be stored: the runtime must go to its safe state. */
  readonly onUnstorable: (reason: string) => void
  readonly onNotice: (message: string) => void
}

const DEFAULT_METRICS_EVERY_MS = 5000

/**
 * The device's side of MQTT (docs/telemetry.md), on the main thread: alarm events, retained
 * alarm, output and status states, batched telemetry and metrics go through the durable outbox
 * (Dispatcher); commands come in on cmd/+ and are answered on cmd-result.
 */
export class DeviceTelemetry {
  readonly #options: DeviceTelemetryOptions
  readonly #dispatcher: Dispatcher
  readonly #batcher: TelemetryBatcher
  readonly #gate: CommandGate
  readonly #stop = new AbortController()
  readonly #startedAtWallMs: number
  #target: CommandTarget | undefined
  /** What the status topic says while running: online, or safe-mode with the reason. */
  #running: { readonly state: DeviceState; readonly detail?: string } = { state: 'online' }
  #alarmSeq = 0
  #loops: Promise<void>[] = []

  constructor(options: DeviceTelemetryOptions) {
    this.#options = options
    this.#startedAtWallMs = options.wallNow()
    this.#dispatcher = new Dispatcher({ outbox: options.outbox, link: options.link, clock: options.clock, wallNow: options.wallNow, onError: error => options.onNotice(`MQTT: ${error.message}`) })
    this.#batcher = new TelemetryBatcher(options.batchLimits, (taskId, readings) => this.#send('telemetry', options.topics.telemetry(taskId), telemetryBatchMessage(options.identity, taskId, readings)))
    this.#gate = new CommandGate(options.wallNow)
  }

  /** The link connected (each time). */
  connected(): void {
    this.#dispatcher.connected()
  }

  offline(): void {
    this.#dispatcher.offline()
  }

  /**
   * Starts once the runtime runs: announces the device (online, or safe-mode with why) and its
   * state, listens for commands.
   */
  async start(target: CommandTarget, running: { readonly state: DeviceState; readonly detail?: string } = { state: 'online' }): Promise<void> {
    this.#target = target
    this.#running = running
    const { link, topics } = this.#options
    link.subscribe(topics.commands, (topic, payload) => void this.#onCommand(topic, payload), { qos: 1 })
    await this.republish()
    this.#loops = [this.#batchLoop(), this.#metricsLoop()]
  }

  onAlarm(event: AlarmEvent, wallMs: number): void {
    const { identity, topics } = this.#options
    const seq = ++this.#alarmSeq
    const result = this.#dispatcher.send('alarm', topics.alarmEvents(event.alarmId), alarmEventMessage(identity, seq, event, wallMs))
    if (!result.ok) this.#options.onUnstorable(`alarm event ${event.alarmId} #${seq} could not be stored: ${result.reason}`)
    // The event is on its way to the broker already; its fsync ends later (Outbox contract).
    else void result.synced?.then(synced => {
      if (!synced.ok) this.#options.onUnstorable(`alarm event ${event.alarmId} #${seq} is not safely stored: ${synced.reason}`)
    })
    const state = { ...identity, alarmId: event.alarmId, taskId: event.taskId, severity: event.severity, category: event.category, state: event.to, acknowledged: event.acknowledged, since: new Date(wallMs).toISOString() }
    this.#send('state', topics.alarm(event.alarmId), JSON.stringify(state), true)
  }

  onActuator(change: ActuatorChange, wallMs: number): void {
    this.#send('state', this.#options.topics.actuator(change.output), actuatorMessage(this.#options.identity, change, wallMs), true)
  }

  onReadings(entries: readonly TapEntry[]): void {
    const nowMs = this.#options.clock.now()
    for (const { taskId, ...reading } of entries) this.#batcher.add(taskId, reading, nowMs)
  }

  /** Publishes the status and every alarm's and output's current state again (boot, and the republish command). */
  async republish(): Promise<void> {
    const { identity, topics, wallNow } = this.#options
    this.#send('state', topics.status, statusMessage(identity, this.#running.state, this.#options.version, this.#startedAtWallMs, this.#running.detail), true)
    if (this.#target === undefined) return
    const status = await this.#target.metrics()
    const nowWall = wallNow()
    for (const alarm of status.alarms) {
      const body = { ...identity, alarmId: alarm.id, taskId: alarm.taskId, severity: alarm.severity, category: alarm.category, state: alarm.state, acknowledged: alarm.acknowledged, since: null, republishedAt: new Date(nowWall).toISOString() }
      this.#send('state', topics.alarm(alarm.id), JSON.stringify(body), true)
    }
    for (const [output, level] of Object.entries(status.outputs)) this.#send('state', topics.actuator(output), JSON.stringify({ ...identity, level, t: nowWall }), true)
  }

  get stats() {
    return { outbox: this.#options.outbox.stats, dispatcher: this.#dispatcher.stats, connected: this.#options.link.connected }
  }

  /** Sends the open batches and the `offline` status, waits (bounded) for the outbox to drain what it can, and stops the timers. */
  async stop(drainMs = 2000): Promise<void> {
    this.#stop.abort()
    await Promise.all(this.#loops)
    this.#batcher.flushAll()
    const { identity, topics } = this.#options
    this.#send('state', topics.status, statusMessage(identity, 'offline', this.#options.version, this.#startedAtWallMs), true)
    const untilMs = this.#options.clock.now() + drainMs
    while (this.#options.link.connected && this.#options.outbox.stats.depth > 0 && this.#options.clock.now() < untilMs) {
      await this.#options.clock.sleep(20).catch(() => undefined)
    }
    this.#dispatcher.close()
  }

  #send(cls: 'alarm' | 'state' | 'telemetry', topic: string, payload: string, retain = false): void {
    const result = this.#dispatcher.send(cls, topic, payload, retain)
    if (!result.ok) this.#options.onNotice(`could not store a ${cls} message for ${topic}: ${result.reason}`)
  }

  async #onCommand(topic: string, payload: Buffer): Promise<void> {
    const name = this.#options.topics.commandName(topic) ?? topic
    const parsed = parseCommand(name, payload)
    if (!parsed.ok) return this.#answer(parsed.id, parsed.name, { ok: false, reason: parsed.reason })
    const refused = this.#gate.admit(parsed.command)
    if (refused !== undefined) return this.#answer(parsed.command.id, name, { ok: false, reason: refused })
    this.#answer(parsed.command.id, name, await this.#apply(parsed.command))
  }

  async #apply(command: ParsedCommand): Promise<CommandReply> {
    if (this.#target === undefined) return { ok: false, reason: 'the runtime is not running yet' }
    try {
      if (command.action.kind === 'republish') {
        await this.republish()
        return { ok: true }
      }
      return await this.#target.command(command.action)
    } catch (error) {
      return { ok: false, reason: `the runtime did not answer: ${error instanceof Error ? error.message : String(error)}` }
    }
  }

  #answer(id: string | null, command: string, reply: CommandReply): void {
    const result = reply.ok ? { id, command, accepted: true } : { id, command, accepted: false, reason: reply.reason }
    this.#send('state', this.#options.topics.commandResult, commandResultMessage(this.#options.identity, result, this.#options.wallNow()))
  }

  async #batchLoop(): Promise<void> {
    const { clock } = this.#options
    while (!this.#stop.signal.aborted) {
      const dueMs = this.#batcher.dueAtMs
      const waitMs = Number.isFinite(dueMs) ? Math.max(1, dueMs - clock.now()) : 50
      try {
        await clock.sleep(Math.min(waitMs, 50), this.#stop.signal)
      } catch {
        return
      }
      this.#batcher.tick(clock.now())
      // The outbox fsyncs non-alarm records in groups; a quiet spell must not leave the last ones unsynced.
      const syncDueAtMs = this.#options.outbox.syncDueAtMs
      if (syncDueAtMs !== null && clock.now() >= syncDueAtMs) await this.#options.outbox.sync().catch((error: unknown) => this.#options.onNotice(`outbox: ${error instanceof Error ? error.message : String(error)}`))
    }
  }

  async #metricsLoop(): Promise<void> {
    const { clock, identity, topics } = this.#options
    const everyMs = this.#options.metricsEveryMs ?? DEFAULT_METRICS_EVERY_MS
    while (!this.#stop.signal.aborted) {
      try {
        await clock.sleep(everyMs, this.#stop.signal)
      } catch {
        return
      }
      const status = await this.#target?.metrics().catch(() => undefined)
      if (status === undefined) continue
      const body = { ...identity, t: this.#options.wallNow(), tasks: status.metrics, outbox: this.#options.outbox.stats, dispatcher: this.#dispatcher.stats, link: { connected: this.#options.link.connected, inFlight: this.#options.link.inFlight } }
      this.#send('telemetry', topics.metrics, JSON.stringify(body))
    }
  }
}
