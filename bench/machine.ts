import { cpus, loadavg, release } from 'node:os'

/** Where and how a bench run ran: the top of `--json` and of docs/performance.md. */
export interface Machine {
  readonly node: string
  readonly platform: string
  readonly arch: string
  readonly cpus: number
  readonly cpu: string
  readonly kernel: string
  /** 1, 5 and 15 minute load averages when the run started, and when it ended. */
  readonly loadavg: readonly number[]
  readonly loadavgEnd: readonly number[]
  /** When the run started (ISO 8601), and how long it took. */
  readonly date: string
  readonly elapsedS: number
  /** The command line after `bench/run.ts`. */
  readonly argv: readonly string[]
  readonly exposeGc: boolean
  /** The options the groups ran with (rounds, durations, loads…). */
  readonly options: Readonly<Record<string, unknown>>
}

/** Reads the machine at the start of a run; call the result at the end to complete it. */
export function startMachine(argv: readonly string[], options: Readonly<Record<string, unknown>>): () => Machine {
  const startMs = performance.now()
  const start = {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    kernel: release(),
    loadavg: loadavg().map(value => Number(value.toFixed(2))),
    date: new Date().toISOString(),
    argv,
    exposeGc: typeof gc === 'function',
    options,
  }
  return () => ({ ...start, loadavgEnd: loadavg().map(value => Number(value.toFixed(2))), elapsedS: Math.round((performance.now() - startMs) / 1000) })
}
