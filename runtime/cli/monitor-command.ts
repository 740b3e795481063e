/**
 * `edgert monitor`: a live view of the devices publishing to a broker.
 *
 * Usage:
 *
 *     edgert monitor --broker mqtt://host:1883 [--device ID] [--topic-prefix P] [--duration S] [--once]
 *
 * - On a terminal the view is redrawn as messages arrive (at most 4 times a second, and every
 *   second for the ages): per device its status and the age of its last message, the alarms that
 *   are not normal (most severe first, then the longest in their state), the outputs, task health
 *   and outbox from the newest metrics, and the bad payloads received.
 * - Piped (not a terminal), it prints one line per notable change instead — a device online or
 *   offline (or a new boot), an alarm raised, acknowledged, cleared or otherwise changed, an output
 *   changed, the first bad payloads — and the whole view once at the end.
 * - `--once` prints the view once, 1 s after connecting (the retained states have arrived by then),
 *   and exits 0. With `--duration` too, a broker not reached in time is exit 1.
 * - `--device ID` watches one device; `--topic-prefix` (default edgert) is the first topic level;
 *   `--duration S` ends after S seconds; otherwise SIGINT/SIGTERM ends it (exit 0).
 * - A broker that is down is retried with back-off forever ("connecting to URL…").
 * - Exit codes: 0 ok, 1 runtime failure, 2 bad input (a bad URL, device id or prefix).
 *
 * It subscribes (QoS 1) to `<prefix>/<device|+>/status`, `…/alarms/#`, `…/actuators/+` and
 * `…/metrics`, and at QoS 0 to `…/telemetry/+`, whose messages it only counts.
 */
import { randomUUID } from 'node:crypto'
import { systemClock, wallNow } from '../clock.ts'
import { MqttLink, type LinkState } from '../mqtt/link.ts'
import { DEFAULT_TOPIC_PREFIX, topicLevelProblem } from '../telemetry/topics.ts'
import { EXIT, UsageError } from './exit-codes.ts'
import { parseMonitorMessage } from './monitor-messages.ts'
import { applyMessage, EMPTY_MONITOR_STATE, type MonitorChange, type MonitorState } from './monitor-state.ts'
import { changeLine, linkText, monitorView, ttyFrame, type MonitorHeader, type MonitorLink } from './monitor-view.ts'

export interface MonitorOptions {
  readonly broker: string
  readonly device?: string
  readonly topicPrefix?: string
  /** Seconds; undefined runs until the signal aborts. */
  readonly durationS?: number
  readonly once: boolean
}

export interface MonitorIo {
  /** One line (or, on a terminal, one frame) of stdout. */
  readonly out: (text: string) => void
  readonly err: (text: string) => void
  readonly isTty: boolean
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal
}

/** A terminal is redrawn at most this often (~4 times a second)… */
const REDRAW_EVERY_MS = 250
/** …and at least this often, so the ages move. */
const REFRESH_EVERY_MS = 1000
/** --once: how long after connecting the retained states are taken to have arrived. */
const ONCE_SETTLE_MS = 1000


/** Resolves with the exit code; throws UsageError for bad options. */
export async function monitorCommand(options: MonitorOptions, io: MonitorIo): Promise<number> {
  const prefix = options.topicPrefix ?? DEFAULT_TOPIC_PREFIX
  const filters = topicFilters(options.broker, prefix, options.device)
  let state: MonitorState = EMPTY_MONITOR_STATE
  const header = { url: options.broker, link: { state: 'connecting' } as MonitorLink, topics: `${prefix}/${options.device ?? '+'}/…` }
  let connectedAtMs: number | undefined
  let dirty = true
  const live = !io.isTty && !options.once
  let said: string | undefined
  const link = openLink(options.broker, linkState => {
    if (linkState.state === 'closed') return
    connectedAtMs = linkState.state === 'connected' ? systemClock.now() : undefined
    header.link = linkState.state === 'offline' ? { state: 'offline', reason: linkState.reason, retryInMs: linkState.retryInMs } : { state: linkState.state }
    dirty = true
    // Without the redrawn view, changes of the link go to stderr: each retry's "connecting" and a repeated failure only once.
    const line = linkText(header).replace(/; retrying in .*$/, '; retrying')
    if ((io.isTty && !options.once) || line === said || (linkState.state === 'connecting' && said !== undefined)) return
    io.err(`edgert monitor: ${line}`)
    said = line
  })
  const onMessage = (topic: string, payload: Buffer): void => {
    const nowMs = wallNow()
    const applied = applyMessage(state, parseMonitorMessage(prefix, topic, payload), nowMs)
    state = applied.state
    dirty = true
    if (live) printChanges(applied.changes, nowMs, io.out)
  }
  for (const [filter, qos] of filters) link.subscribe(filter, onMessage, { qos })
  link.start()
  const endMs = options.durationS === undefined ? Infinity : systemClock.now() + options.durationS * 1000
  let lastDrawMs = -Infinity
  try {
    while (!io.signal.aborted && systemClock.now() < endMs) {
      const nowMs = systemClock.now()
      if (options.once && connectedAtMs !== undefined && nowMs - connectedAtMs >= ONCE_SETTLE_MS) {
        io.out(monitorView(state, header, wallNow()))
        return EXIT.ok
      }
      if (io.isTty && !options.once && (dirty || nowMs - lastDrawMs >= REFRESH_EVERY_MS)) {
        io.out(`${lastDrawMs === -Infinity ? '\x1b[2J' : ''}${ttyFrame(monitorView(state, header, wallNow()))}`)
        lastDrawMs = nowMs
        dirty = false
      }
      const stepMs = Math.min(REDRAW_EVERY_MS, endMs - nowMs)
      if (!(await systemClock.sleep(stepMs, io.signal).then(() => true, () => false))) break
    }
  } finally {
    await link.close()
  }
  return finish(state, header, options, io)
}

/** The end of a run: the last view (a terminal keeps its last frame); --once that never got its view is a failure. */
function finish(state: MonitorState, header: MonitorHeader, options: MonitorOptions, io: MonitorIo): number {
  const view = monitorView(state, header, wallNow())
  if (options.once) {
    if (io.signal.aborted) return EXIT.ok
    io.out(view)
    io.err(`edgert monitor: no connection to ${header.url} within ${options.durationS} s`)
    return EXIT.runtimeFailure
  }
  io.out(io.isTty ? ttyFrame(view) : `\n${view}`)
  return EXIT.ok
}

function printChanges(changes: readonly MonitorChange[], nowMs: number, out: (text: string) => void): void {
  for (const change of changes) {
    const line = changeLine(change, nowMs)
    if (line !== undefined) out(line)
  }
}

function topicFilters(broker: string, prefix: string, device: string | undefined): [string, 0 | 1][] {
  if (!/^mqtts?:\/\/[^/]+/.test(broker)) throw new UsageError(`--broker must be mqtt://host:port or mqtts://host:port, got "${broker}"`)
  for (const [option, value] of [['--topic-prefix', prefix], ['--device', device]] as const) {
    const problem = value === undefined ? undefined : topicLevelProblem(value)
    if (problem !== undefined) throw new UsageError(`${option}: ${problem}`)
  }
  const root = `${prefix}/${device ?? '+'}`
  return [[`${root}/status`, 1], [`${root}/alarms/#`, 1], [`${root}/actuators/+`, 1], [`${root}/metrics`, 1], [`${root}/telemetry/+`, 0]]
}

function openLink(url: string, onState: (state: LinkState) => void): MqttLink {
  try {
    // 23 characters: the longest client id every MQTT 3.1.1 broker must accept (MQTT-3.1.3-5).
    return new MqttLink({ url, clientId: `edgert-monitor-${randomUUID().slice(0, 8)}`, clock: systemClock, onState })
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) throw new UsageError(`--broker: ${error.message}`, { cause: error })
    throw error
  }
}
