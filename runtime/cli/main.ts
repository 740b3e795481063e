#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError } from 'commander'
import { ConfigError } from '../config/config-error.ts'
import { boardsCommand } from './boards-command.ts'
import { EXIT, UsageError } from './exit-codes.ts'
import { fatalSafeState } from './exit-safety.ts'
import { planCommand } from './plan-command.ts'
import { runCommand } from './run-command.ts'
import { validateCommand } from './validate-command.ts'

const out = (text: string): void => void process.stdout.write(`${text}\n`)
const err = (text: string): void => void process.stderr.write(`${text}\n`)

function positiveNumber(value: string): number {
  const parsed = Number(value)
  if (!(parsed > 0) || !Number.isFinite(parsed)) throw new InvalidArgumentError('expected a positive number')
  return parsed
}

function priority(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 99) throw new InvalidArgumentError('expected an integer 1..99')
  return parsed
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
    .option('--data-dir <dir>', 'where alarm states are kept across restarts (default $EDGERT_DATA_DIR or ~/.local/state/edgert)')
    .action(async (options: { board: string; tasks: string; duration?: number; clock: string; thread: string; rtPriority?: number; reportEvery: number; quiet?: boolean; record?: string; replay?: string; scenario?: string; dataDir?: string }) => {
      if (options.clock !== 'precise' && options.clock !== 'system') throw new UsageError(`--clock must be precise or system, got "${options.clock}"`)
      if (options.thread !== 'rt' && options.thread !== 'main') throw new UsageError(`--thread must be rt or main, got "${options.thread}"`)
      const stop = new AbortController()
      const onSignal = (): void => stop.abort()
      process.once('SIGINT', onSignal)
      process.once('SIGTERM', onSignal)
      try {
        setExit(
          await runCommand(
            {
              board: options.board,
              tasks: options.tasks,
              clock: options.clock,
              thread: options.thread,
              reportEveryS: options.reportEvery,
              quiet: options.quiet === true,
              ...(options.duration === undefined ? {} : { duration: options.duration }),
              ...(options.record === undefined ? {} : { record: options.record }),
              ...(options.replay === undefined ? {} : { replay: options.replay }),
              ...(options.scenario === undefined ? {} : { scenario: options.scenario }),
              ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
              ...(options.rtPriority === undefined ? {} : { rtPriority: options.rtPriority }),
            },
            { out, err, isTty: process.stdout.isTTY === true, signal: stop.signal },
          ),
        )
      } finally {
        process.off('SIGINT', onSignal)
        process.off('SIGTERM', onSignal)
      }
    })

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
  err(`edgert: ${what}: ${error instanceof Error ? error.message : String(error)}`)
  if (safe !== undefined) err(safe ? 'edgert: every output was driven to its safe level' : 'edgert: could not confirm that every output reached its safe level')
  if (process.env.EDGERT_DEBUG !== undefined && error instanceof Error) err(error.stack ?? '')
  process.exit(EXIT.runtimeFailure)
}
process.on('uncaughtException', fatal('uncaught error'))
process.on('unhandledRejection', fatal('unhandled rejection'))

process.exitCode = await main(process.argv.slice(2))
