import { systemClock, wallNow } from '../clock.ts'
import { loadConfig } from '../config/load.ts'
import { startRtThread, type RtThreadOptions } from '../rt-thread/host.ts'
import type { WireEvent } from '../rt-thread/protocol.ts'
import { EXIT } from './exit-codes.ts'
import type { Log } from './log.ts'
import { onFatalError } from './exit-safety.ts'
import { actuatorLine, alarmLine, alarmsTable } from './alarm-view.ts'
import { alarmStateFile, dataDir } from './data-dir.ts'
import { defaultDeviceId, openTelemetry, type TelemetrySettings } from './telemetry-setup.ts'
import { basename, join } from 'node:path'
import { liveView, metricsTable, readingsTable } from './live-view.ts'
import { startOnMainThread } from './main-thread-runtime.ts'
import { readRunInputs } from './run-inputs.ts'
import { scenarioSummary } from './scenario-summary.ts'
import type { CrashLoopPolicy } from '../service/start-history.ts'
import { Supervision } from '../service/supervision.ts'

export interface RunOptions {
  readonly board: string
  readonly tasks: string
  /** Seconds; undefined runs until SIGINT/SIGTERM. */
  readonly duration?: number
  readonly clock: 'precise' | 'system'
  /** `rt` (default): the scheduler runs in a dedicated worker thread; `main`: on the main thread. */
  readonly thread: 'rt' | 'main'
  /** SCHED_FIFO priority for the timer thread (needs root, CAP_SYS_NICE or LimitRTPRIO). */
  readonly rtPriority?: number
  readonly reportEveryS: number
  readonly quiet: boolean
  /** Write every reading to this NDJSON file. */
  readonly record?: string
  /** Play the devices recorded in this NDJSON file back instead of sampling them. */
  readonly replay?: string
  /** Run this scenario (world model + fault timeline) on the simulated board. */
  readonly scenario?: string
  /** Where state that survives a restart is kept (alarm states, the outbox); default: data-dir.ts. */
  readonly dataDir?: string
  /** --safe-mode-after/--safe-mode-window: after this many failed starts within the window, start in safe mode. */
  readonly crashLoop?: CrashLoopPolicy
  /** --safe-mode: start in safe mode whatever the start history says. */
  readonly safeMode?: boolean
  /** MQTT: broker ('embedded', 'none' or a URL), device id, topics, credentials, outbox bound. */
  readonly mqtt?: Omit<TelemetrySettings, 'outboxDir'>
}

export interface RunIo {
  readonly out: (text: string) => void
  /** The runtime's log (pino): what happened, with levels; user errors still go to main()'s stderr. */
  readonly log: Log
  readonly isTty: boolean
  /** Aborted on SIGINT/SIGTERM. */
  readonly signal: AbortSignal
}

/** How many events of one kind per task are printed before they are only counted. */
const EVENT_LINES_PER_TASK = 3

/** Default bound of the outbox on disk: 64 MiB (a day of the braking demo's telemetry is ~0.5 GB raw; it drops the oldest telemetry beyond this). */
export const DEFAULT_OUTBOX_MAX_BYTES = 64 * 1024 * 1024

/** How long an uncaught error waits for the rt thread to drive the outputs safe. */
const EMERGENCY_TIMEOUT_MS = 500

/** How many alarm and output events the terminal's live view keeps under its tables. */
const RECENT_EVENTS = 12

/** `edgert run`: boots the board and table and runs them until the duration or a signal. */
export async function runCommand(options: RunOptions, io: RunIo): Promise<number> {
  const config = await loadConfig(options.board, options.tasks)
  if (!config.admission.feasible) io.log.warn(`the table is not schedulable (admission: warn): ${config.admission.problems.join('; ')}`, { problems: config.admission.problems })
  const printed = new Map<string, number>()
  const onEvent = (event: WireEvent): void => reportEvent(event, printed, io.log)
  const { scenario, replay } = await readRunInputs(config, { scenario: options.scenario, replay: options.replay })
  const startedMs = systemClock.now()
  // Alarms and output changes are printed as they happen (a terminal's live view keeps the latest under its tables).
  const recent: string[] = []
  const happened = (line: string): void => {
    const stamped = `[${((systemClock.now() - startedMs) / 1000).toFixed(3).padStart(8)} s] ${line}`
    if (io.isTty && !options.quiet) {
      recent.push(stamped)
      if (recent.length > RECENT_EVENTS) recent.shift()
    } else io.out(stamped)
  }
  // The crash-loop guard decides before anything opens; under systemd this also opens the notify socket.
  const supervision = new Supervision({
    clock: systemClock,
    wallNow,
    dataDir: dataDir(options.dataDir),
    crashLoop: options.crashLoop ?? null,
    forceSafeMode: options.safeMode === true,
    log: (level, message) => io.log[level](message),
  })
  const safeMode = supervision.safeMode
  if (safeMode) io.log.error(`SAFE MODE: ${supervision.decision.reason ?? ''}`)
  const hasAlarms = config.table.tasks.some(task => task.kind === 'sample' && (task.alarms?.length ?? 0) > 0)
  // A scenario's world starts from its initial state every run, so its alarms and outbox do too, unless --data-dir says otherwise.
  const keepState = scenario === undefined || options.dataDir !== undefined
  const mqttSettings = options.mqtt ?? { broker: 'embedded', outboxMaxBytes: DEFAULT_OUTBOX_MAX_BYTES }
  const deviceId = mqttSettings.deviceId ?? defaultDeviceId()
  // An alarm event that cannot be stored: every output to its safe level, now (docs/telemetry.md).
  const emergency = { safe: (): void => undefined }
  const mqtt = await openTelemetry({ ...mqttSettings, deviceId, outboxDir: keepState ? join(dataDir(options.dataDir), `outbox-${deviceId}`) : undefined }, (message, level) => io.log[level](message), () => emergency.safe())
  // A scenario with its own length ends the run, unless --duration says otherwise.
  const durationS = options.duration ?? scenario?.durationS
  const timing = durationS === undefined ? options : { ...options, duration: durationS }
  const start: RtThreadOptions = {
    config,
    clock: options.clock,
    onEvent,
    onAlarm: (event, wallMs) => {
      happened(alarmLine(event))
      mqtt?.telemetry.onAlarm(event, wallMs)
    },
    onActuator: (change, wallMs) => {
      happened(actuatorLine(change))
      mqtt?.telemetry.onActuator(change, wallMs)
    },
    onNotice: message => io.log.warn(message),
    ...(mqtt === undefined ? {} : { onReadings: (entries: Parameters<typeof mqtt.telemetry.onReadings>[0]) => mqtt.telemetry.onReadings(entries) }),
    ...(safeMode ? { safeMode } : {}),
    // Safe mode leaves the persisted alarm states as they are, for the run after it.
    ...(hasAlarms && keepState && !safeMode ? { alarmStateFile: alarmStateFile(config.tasksFile, options.dataDir) } : {}),
    ...(options.rtPriority === undefined ? {} : { rtPriority: options.rtPriority }),
    ...(options.record === undefined ? {} : { record: options.record }),
    ...(replay === undefined ? {} : { replay }),
    ...(scenario === undefined ? {} : { scenario }),
  }
  let runtime: Awaited<ReturnType<typeof startRtThread>>
  try {
    runtime = options.thread === 'rt' ? await startRtThread(start) : await startOnMainThread(start)
  } catch (error) {
    await mqtt?.stop()
    await supervision.stopping(false)
    throw error
  }
  const unregister = onFatalError(() => runtime.emergencySafe(EMERGENCY_TIMEOUT_MS))
  emergency.safe = () => void runtime.emergencySafe(EMERGENCY_TIMEOUT_MS)
  if (mqtt !== undefined) {
    await mqtt.start(runtime, safeMode ? { state: 'safe-mode', detail: supervision.decision.reason ?? 'safe mode' } : undefined)
    io.log.info(`telemetry: device '${mqtt.deviceId}' on ${mqtt.url}, topics ${mqttSettings.topicPrefix ?? 'edgert'}/${mqtt.deviceId}/…`, { deviceId: mqtt.deviceId, broker: mqtt.url })
  }
  const clock = runtime.clockStatus === null ? 'system clock' : `precise clock (timer slack ${runtime.clockStatus.timerSlack}, timer thread realtime ${runtime.clockStatus.realtime}, scheduler thread realtime ${runtime.threadRealtime})`
  io.log.info(`executive: ${clock}, scheduler on the ${options.thread === 'rt' ? 'rt thread' : 'main thread'}`)
  if (safeMode) io.log.error(`safe mode: ${config.table.tasks.length} task(s) of ${config.tasksFile} not started; every output held at its safe level on board '${config.board.id}'`)
  else io.log.info(`running ${config.table.tasks.length} task(s) from ${config.tasksFile} on board '${config.board.id}' (${config.settings.policy})${scenario === undefined ? '' : `, scenario ${options.scenario}`}${timing.duration === undefined ? '; Ctrl-C stops' : ` for ${timing.duration} s`}`)
  await supervision.started(config.table, () => runtime.metrics(), `running ${config.table.tasks.length} task(s) of ${basename(config.tasksFile)} on ${config.board.id}`)
  let final: Awaited<ReturnType<typeof runtime.stop>>
  let clean = false
  try {
    await waitUntilDone(timing, io, async () => {
      if (!options.quiet) io.out(liveView(await runtime.metrics(), (systemClock.now() - startedMs) / 1000, io.isTty, recent))
    })
    clean = true
  } finally {
    await supervision.stopping(clean)
    final = await runtime.stop()
    unregister()
    await mqtt?.stop()
  }
  const readings = readingsTable(final.readings)
  io.out(`\nafter ${((systemClock.now() - startedMs) / 1000).toFixed(1)} s:\n${metricsTable(final.metrics)}${readings === '' ? '' : `\n\n${readings}`}\n\n${alarmsTable(final.alarms, final.outputs)}`)
  if (final.scenario !== null) io.out(`\n${scenarioSummary(final.scenario)}`)
  if (final.recorded !== null) {
    const { written, dropped, failure } = final.recorded
    if (failure !== null) {
      io.log.error(`could not write the recording ${options.record}: ${failure}`)
      return EXIT.runtimeFailure
    }
    io.log.info(`recorded ${written} reading(s) to ${options.record}${dropped > 0 ? `; ${dropped} dropped because the disk fell behind` : ''}`)
  }
  return EXIT.ok
}

async function waitUntilDone(options: RunOptions, io: RunIo, report: () => Promise<void>): Promise<void> {
  const endMs = options.duration === undefined ? Infinity : systemClock.now() + options.duration * 1000
  while (!io.signal.aborted && systemClock.now() < endMs) {
    const stepMs = Math.min(options.reportEveryS * 1000, endMs - systemClock.now())
    try {
      await systemClock.sleep(stepMs, io.signal)
    } catch {
      return // SIGINT/SIGTERM
    }
    if (endMs - systemClock.now() > 1) await report() // the summary follows at the end instead
  }
}

function reportEvent(event: WireEvent, printed: Map<string, number>, log: Log): void {
  const key = `${event.taskId}/${event.type}`
  const count = (printed.get(key) ?? 0) + 1
  printed.set(key, count)
  if (count > EVENT_LINES_PER_TASK) return
  const tail = count === EVENT_LINES_PER_TASK ? ' (further ones are counted in the table only)' : ''
  const at = `${event.atMs.toFixed(3)} ms`
  switch (event.type) {
    case 'deadline-missed':
      log.warn(`[${at}] ${event.taskId}: missed its deadline (released ${event.releaseMs.toFixed(3)}, due ${event.deadlineMs.toFixed(3)})${tail}`, { taskId: event.taskId, event: event.type })
      break
    case 'budget-overrun':
      log.warn(`[${at}] ${event.taskId}: ran ${event.executionMs.toFixed(3)} ms, over its ${event.budgetMs} ms budget${tail}`, { taskId: event.taskId, event: event.type })
      break
    case 'task-failed':
      log.warn(`[${at}] ${event.taskId}: job failed (${event.kind}): ${event.message}${tail}`, { taskId: event.taskId, event: event.type })
      break
    case 'safe-state':
      log.warn(`[${at}] ${event.taskId}: safe state requested (${event.reason})${tail}`, { taskId: event.taskId, event: event.type })
      break
  }
}
