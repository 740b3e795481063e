#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError } from 'commander'
import { ConfigError } from '../config/config-error.ts'
import { boardsCommand } from './boards-command.ts'
import { EXIT, UsageError } from './exit-codes.ts'
import { fatalSafeState } from './exit-safety.ts'
import { createLog, type Log } from './log.ts'
import { monitorCommand } from './monitor-command.ts'
import { planCommand } from './plan-command.ts'
import { serviceInstallCommand, serviceResetCommand } from './service-command.ts'
import { runCommand, type RunOptions } from './run-command.ts'
import { validateCommand } from './validate-command.ts'

// A reader that went away (`edgert boards | head`) ends the program quietly, not with an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
    fatalSafeState() // a running runtime's outputs go safe first, as on any exit
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok)
  })
}

const out = (text: string): void => void process.stdout.write(`${text}\n`)
const err = (text: string): void => void process.stderr.write(`${text}\n`)

function positiveNumber(value: string): number {
  const parsed = Number(value)
  if (!(parsed > 0) || !Number.isFinite(parsed)) throw new InvalidArgumentError('expected a positive number')
  return parsed
}

function positiveInteger(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('expected a positive integer')
  return parsed
}

function priority(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 99) throw new InvalidArgumentError('expected an integer 1..99')
  return parsed
}

interface RunFlags {
  board: string
  tasks: string
  duration?: number
  clock: string
  thread: string
  rtPriority?: number
  reportEvery: number
  quiet?: boolean
  record?: string
  replay?: string
  scenario?: string
  dataDir?: string
  broker?: string
  deviceId?: string
  topicPrefix: string
  mqttVersion?: string
  username?: string
  password?: string
  ca?: string
  cert?: string
  key?: string
  outboxMaxMb: number
  logFormat?: string
  safeModeAfter?: number
  safeModeWindow: number
  safeMode?: boolean
}

/** The run's log; flushed by the fatal-error path below. */
let activeLog: Log | undefined

function runLog(format: string | undefined): Log {
  if (format !== undefined && format !== 'pretty' && format !== 'json') throw new UsageError(`--log-format must be pretty or json, got "${format}"`)
  activeLog = createLog(format ?? (process.stderr.isTTY ? 'pretty' : 'json'))
  return activeLog
}

function mqttSettings(flags: RunFlags): NonNullable<RunOptions['mqtt']> {
  if (flags.mqttVersion !== undefined && flags.mqttVersion !== '4' && flags.mqttVersion !== '5') throw new UsageError(`--mqtt-version must be 4 or 5, got "${flags.mqttVersion}"`)
  const broker = flags.broker ?? 'embedded'
  if (broker !== 'none' && broker !== 'embedded' && !/^mqtts?:\/\/[^/]+/.test(broker)) throw new UsageError(`--broker must be mqtt://host:port, mqtts://host:port or none, got "${broker}"`)
  if (broker === 'embedded' && flags.mqttVersion === '5') throw new UsageError('--mqtt-version 5 needs a real broker: the embedded one speaks MQTT 3.1.1 only')
  const password = flags.password ?? process.env.EDGERT_MQTT_PASSWORD
  return {
    broker,
    deviceId: flags.deviceId,
    topicPrefix: flags.topicPrefix,
    mqttVersion: flags.mqttVersion === undefined ? undefined : (Number(flags.mqttVersion) as 4 | 5),
    username: flags.username,
    password: password === '' ? undefined : password,
    ca: flags.ca,
    cert: flags.cert,
    key: flags.key,
    outboxMaxBytes: Math.round(flags.outboxMaxMb * 1024 * 1024),
  }
}

/** Runs `work` with a signal that SIGINT and SIGTERM abort (a clean stop), for the commands that run until stopped. */
async function untilSignal<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = new AbortController()
  const onSignal = (): void => stop.abort()
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    return await work(stop.signal)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

function program(setExit: (code: number) => void): Command {
  const cli = new Command('edgert')
    .description('A deadline-aware real-time runtime for Raspberry Pi-class edge devices.')
    .exitOverride()
    .configureOutput({ writeErr: text => process.stderr.write(text) })

  cli
    .command('plan')
    .description('print the schedulability (admission) analysis of a task table on a board')
    .requiredOption('--board <board>', 'built-in board name (sim, raspberry-pi-4b) or a board file')
    .requiredOption('--tasks <file>', 'task table (JSON)')
    .option('--json', 'machine-readable output')
    .action(async (options: { board: string; tasks: string; json?: boolean }) => setExit(await planCommand(options, out)))

  cli
    .command('validate')
    .description('check a board and task table without running them')
    .requiredOption('--board <board>', 'built-in board name or a board file')
    .requiredOption('--tasks <file>', 'task table (JSON)')
    .action(async (options: { board: string; tasks: string }) => setExit(await validateCommand(options, out)))

  cli
    .command('run')
    .description('run a task table on a board')
    .requiredOption('--board <board>', 'built-in board name or a board file')
    .requiredOption('--tasks <file>', 'task table (JSON)')
    .option('--duration <seconds>', 'stop after this many seconds (default: until Ctrl-C / SIGTERM)', positiveNumber)
    .option('--clock <kind>', 'precise (timer thread, default) or system (plain setTimeout)', 'precise')
    .option('--thread <where>', 'rt (default: the scheduler in a dedicated worker thread) or main', 'rt')
    .option('--rt-priority <1-99>', 'SCHED_FIFO priority for the timer thread and the scheduler thread (needs CAP_SYS_NICE or LimitRTPRIO)', priority)
    .option('--report-every <seconds>', 'how often the live table is printed', positiveNumber, process.stdout.isTTY ? 1 : 5)
    .option('--quiet', 'no live table, only the summary at the end')
    .option('--record <file>', 'write every reading to this file as NDJSON')
    .option('--replay <file>', 'play the devices recorded in this NDJSON file back instead of sampling them')
    .option('--scenario <file>', 'sim board: run this scenario (world model and fault timeline; see scenarios/)')
    .option('--data-dir <dir>', 'where alarm states and the outbox are kept across restarts (default $EDGERT_DATA_DIR or ~/.local/state/edgert)')
    .option('--broker <url>', "MQTT broker: mqtt://host:port or mqtts://…; 'none' for no MQTT (default: an embedded broker on 127.0.0.1:1883)")
    .option('--device-id <id>', 'this device\'s name in the topics (default: the host name)')
    .option('--topic-prefix <prefix>', 'first topic level', 'edgert')
    .option('--mqtt-version <4|5>', 'MQTT 3.1.1 (4, default) or 5 (not with the embedded broker)')
    .option('--username <name>', 'MQTT user name')
    .option('--password <password>', 'MQTT password (or $EDGERT_MQTT_PASSWORD, which keeps it out of the process list)')
    .option('--ca <file>', 'mqtts: the CA certificate (PEM) that signed the broker\'s')
    .option('--cert <file>', 'mqtts: this device\'s client certificate (PEM)')
    .option('--key <file>', 'mqtts: the client certificate\'s key (PEM)')
    .option('--log-format <format>', 'pretty (default on a terminal) or json (default otherwise: one pino object per line, for journald)')
    .option('--outbox-max-mb <mb>', 'bound of the outbox on disk; beyond it the oldest telemetry is dropped (alarms never)', positiveNumber, 64)
    .option('--safe-mode-after <starts>', 'crash-loop guard: after this many failed starts within --safe-mode-window, start in safe mode (outputs safe, no tasks, status and telemetry only)', positiveInteger)
    .option('--safe-mode-window <seconds>', 'the crash-loop guard\'s window', positiveNumber, 600)
    .option('--safe-mode', 'start in safe mode now: every output at its safe level, no task runs')
    .action(async (options: RunFlags) => {
      if (options.clock !== 'precise' && options.clock !== 'system') throw new UsageError(`--clock must be precise or system, got "${options.clock}"`)
      if (options.thread !== 'rt' && options.thread !== 'main') throw new UsageError(`--thread must be rt or main, got "${options.thread}"`)
      const { clock, thread } = options
      setExit(
        await untilSignal(signal =>
          runCommand(
            {
              board: options.board,
              tasks: options.tasks,
              clock,
              thread,
              reportEveryS: options.reportEvery,
              quiet: options.quiet === true,
              ...(options.duration === undefined ? {} : { duration: options.duration }),
              ...(options.record === undefined ? {} : { record: options.record }),
              ...(options.replay === undefined ? {} : { replay: options.replay }),
              ...(options.scenario === undefined ? {} : { scenario: options.scenario }),
              ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
              mqtt: mqttSettings(options),
              ...(options.rtPriority === undefined ? {} : { rtPriority: options.rtPriority }),
              ...(options.safeModeAfter === undefined ? {} : { crashLoop: { failedStarts: options.safeModeAfter, windowMs: options.safeModeWindow * 1000 } }),
              ...(options.safeMode === true ? { safeMode: true } : {}),
            },
            { out, log: runLog(options.logFormat), isTty: process.stdout.isTTY === true, signal },
          ),
        ),
      )
    })

  cli
    .command('monitor')
    .description('a live view of the devices publishing to a broker: status, active alarms, outputs, task health')
    .requiredOption('--broker <url>', 'MQTT broker: mqtt://host:port or mqtts://host:port')
    .option('--device <id>', 'only this device (default: every device under the prefix)')
    .option('--topic-prefix <prefix>', 'first topic level', 'edgert')
    .option('--duration <seconds>', 'stop after this many seconds (default: until Ctrl-C / SIGTERM)', positiveNumber)
    .option('--once', 'print the view once, after the retained states have arrived, and exit')
    .action(async (options: { broker: string; device?: string; topicPrefix: string; duration?: number; once?: boolean }) => {
      setExit(
        await untilSignal(signal =>
          monitorCommand(
            {
              broker: options.broker,
              topicPrefix: options.topicPrefix,
              once: options.once === true,
              ...(options.device === undefined ? {} : { device: options.device }),
              ...(options.duration === undefined ? {} : { durationS: options.duration }),
            },
            { out, err, isTty: process.stdout.isTTY === true, signal },
          ),
        ),
      )
    })

  const service = cli.command('service').description('run edgert as a systemd service (README, "Run on a Raspberry Pi")')
  service
    .command('install')
    .description('write a systemd unit (Type=notify, watchdog, crash-loop guard, hardening) that runs a table on a board; options after -- go to edgert run')
    .requiredOption('--board <board>', 'built-in board name or a board file')
    .requiredOption('--tasks <file>', 'task table (JSON)')
    .option('--name <name>', 'unit name', 'edgert')
    .option('--user <user>', 'the service user (default: the user running sudo, else edgert)')
    .option('--data-dir <dir>', 'state across restarts (default /var/lib/<name>, the unit\'s StateDirectory)')
    .option('--watchdog-sec <seconds>', 'WatchdogSec: restarted when the executive is unhealthy this long', positiveInteger, 10)
    .option('--rt-priority <1-99>', 'SCHED_FIFO for the timing threads, with LimitRTPRIO', priority)
    .option('--safe-mode-after <starts>', 'failed starts within the window before safe mode', positiveInteger, 5)
    .option('--safe-mode-window <seconds>', 'the crash-loop guard\'s window', positiveInteger, 600)
    .option('--output <file>', 'where to write the unit (default /etc/systemd/system/<name>.service)')
    .option('--print', 'print the unit instead of writing it')
    .argument('[run-options...]', 'edgert run options, after --, e.g. -- --broker mqtt://broker.lan:1883 --device-id pi-7')
    .action(async (runArgs: string[], options: { board: string; tasks: string; name: string; user?: string; dataDir?: string; watchdogSec: number; rtPriority?: number; safeModeAfter: number; safeModeWindow: number; output?: string; print?: boolean }) => {
      const runFlags = cli.commands.find(command => command.name() === 'run')?.options.map(option => option.long ?? '') ?? []
      setExit(
        await serviceInstallCommand(
          {
            board: options.board,
            tasks: options.tasks,
            name: options.name,
            watchdogSec: options.watchdogSec,
            safeModeAfter: options.safeModeAfter,
            safeModeWindowS: options.safeModeWindow,
            runArgs,
            runFlags,
            print: options.print === true,
            ...(options.user === undefined ? {} : { user: options.user }),
            ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
            ...(options.rtPriority === undefined ? {} : { rtPriority: options.rtPriority }),
            ...(options.output === undefined ? {} : { output: options.output }),
          },
          out,
          err,
        ),
      )
    })
  service
    .command('reset')
    .description('forget the failed starts the crash-loop guard counted, so the next start leaves safe mode')
    .option('--data-dir <dir>', 'the service\'s data dir (e.g. /var/lib/edgert; default $EDGERT_DATA_DIR or ~/.local/state/edgert)')
    .action((options: { dataDir?: string }) => setExit(serviceResetCommand(options, out)))

  cli
    .command('boards')
    .description('list the built-in boards and their devices')
    .action(async () => setExit(await boardsCommand(out)))

  return cli
}

/** Runs the CLI; resolves with the exit code. User errors are one message, never a stack trace. */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok
  try {
    await program(value => (code = value)).parseAsync([...argv], { from: 'user' })
    return code
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.badInput
    if (error instanceof ConfigError || error instanceof UsageError) {
      err(`edgert: ${error.message}`)
      return EXIT.badInput
    }
    err(`edgert: ${error instanceof Error ? error.message : String(error)}`)
    if (process.env.EDGERT_DEBUG !== undefined && error instanceof Error) err(error.stack ?? '')
    return EXIT.runtimeFailure
  }
}

// An error nothing caught: the outputs go to their safe levels before the process ends.
const fatal = (what: string) => (error: unknown): void => {
  const safe = fatalSafeState()
  activeLog?.flush()
  err(`edgert: ${what}: ${error instanceof Error ? error.message : String(error)}`)
  if (safe !== undefined) err(safe ? 'edgert: every output was driven to its safe level' : 'edgert: could not confirm that every output reached its safe level')
  if (process.env.EDGERT_DEBUG !== undefined && error instanceof Error) err(error.stack ?? '')
  process.exit(EXIT.runtimeFailure)
}
process.on('uncaughtException', fatal('uncaught error'))
process.on('unhandledRejection', fatal('unhandled rejection'))

process.exitCode = await main(process.argv.slice(2))
