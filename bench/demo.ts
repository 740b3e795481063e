/**
 * The `demo` group of bench/run.ts: CPU share and memory of the braking demo as a user runs it,
 * `edgert run --board sim --tasks tasks/vehicle-braking.json --scenario
 * scenarios/vehicle-braking.json --broker mqtt://127.0.0.1:PORT --quiet --duration S`, read from
 * /proc once a second (proc-stat.ts). The scenario's timeline lasts 10 s; --duration overrides
 * its length (runtime/cli/run-command.ts), and after the timeline the world is left as it ended
 * (the vehicle stopped, the brake latched) while every task keeps sampling, deciding and
 * publishing at its rate: the whole window is the demo's steady state.
 * Two CLIs run side by side against one broker, each with its own device id and data dir: the
 * compiled one (what a Pi runs: demo-build.ts), the headline, and the sources under tsx, which
 * adds its loader's memory. At ~5 % of a core each they barely meet on two cores, and the group
 * takes one window instead of two. Without mosquitto they run one after the other with
 * `--broker embedded` (its fixed port would clash) and the report says so.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { mosquittoAvailable, startMosquitto } from '../test/helpers/mosquitto.ts'
import { compiledCli } from './demo-build.ts'
import { sampleProcess, summarizeSamples, type ProcessSample, type ProcessSummary } from './proc-stat.ts'

export type DemoVariant = 'dist' | 'tsx'

export interface DemoResult {
  readonly variant: DemoVariant
  /** How the CLI was started (relative to the repository). */
  readonly command: string
  readonly broker: string
  readonly summary: ProcessSummary
  /** What the CLI said it ran for ("after 60.0 s:"), s; NaN if it did not say. */
  readonly ranS: number
  readonly exitCode: number | null
}

export interface DemoRun {
  readonly durationS: number
  readonly results: readonly DemoResult[]
  readonly notes: readonly string[]
}

export const DEMO_CPU_TARGET_PCT = 5
export const DEMO_RSS_TARGET_MB = 90
/** Left out of the CPU figures: module loading, JIT and boot. */
const STARTUP_SKIP_MS = 3000
const SAMPLE_EVERY_MS = 1000
const ROOT = fileURLToPath(new URL('..', import.meta.url))

function demoArgs(broker: string, durationS: number, dataDir: string, deviceId: string): string[] {
  return ['run', '--board', 'sim', '--tasks', 'tasks/vehicle-braking.json', '--scenario', 'scenarios/vehicle-braking.json', '--broker', broker, '--quiet', '--duration', String(durationS), '--data-dir', dataDir, '--device-id', deviceId]
}

/** Starts the CLI and samples it once a second until it exits. */
async function sampleCli(variant: DemoVariant, entry: readonly string[], broker: string, durationS: number): Promise<DemoResult> {
  const dataDir = mkdtempSync(join(tmpdir(), `edgert-demo-${variant}-`))
  const args = [...entry, ...demoArgs(broker, durationS, dataDir, `bench-demo-${variant}`)]
  try {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout = (stdout + chunk).slice(-20_000)))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)))
    const exited = new Promise<number | null>((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', code => resolve(code))
    })
    const samples: ProcessSample[] = []
    let done = false
    void exited.then(
      () => (done = true),
      () => (done = true),
    )
    for (let nextMs = performance.now(); !done; nextMs += SAMPLE_EVERY_MS) {
      const sample = child.pid === undefined ? undefined : sampleProcess(child.pid)
      if (sample !== undefined) samples.push(sample)
      await Promise.race([exited, new Promise(resolve => setTimeout(resolve, Math.max(0, nextMs + SAMPLE_EVERY_MS - performance.now())))])
    }
    const exitCode = await exited
    if (exitCode !== 0 || samples.length === 0) throw new Error(`demo (${variant}) exited with ${exitCode} after ${samples.length} samples: ${stderr.trim().slice(-1000)}`)
    const ran = /after (\d+(?:\.\d+)?) s:/.exec(stdout)
    const command = `node ${args.join(' ').replace(dataDir, 'TMP').replace(ROOT, '')}`
    return { variant, command, broker, summary: summarizeSamples(samples, STARTUP_SKIP_MS), ranS: ran === null ? Number.NaN : Number(ran[1]), exitCode }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

export async function runDemoBench(options: { durationS: number; progress: (line: string) => void }): Promise<DemoRun> {
  const { durationS, progress } = options
  const notes: string[] = []
  const compiled = await compiledCli(ROOT, progress)
  const entries: [DemoVariant, string[]][] = []
  if ('main' in compiled) {
    entries.push(['dist', [compiled.main]])
    notes.push(`compiled CLI: ${compiled.note}`)
  } else notes.push(`compiled CLI not measured: ${compiled.skipped}`)
  entries.push(['tsx', ['--import', 'tsx', 'runtime/cli/main.ts']])
  if (!mosquittoAvailable()) {
    notes.push('broker: the embedded aedes broker (--broker embedded), mosquitto not installed (apt-get install mosquitto); the CLIs ran one after the other')
    const results: DemoResult[] = []
    for (const [variant, entry] of entries) {
      progress(`demo: braking demo (${variant}), --broker embedded, ${durationS} s…`)
      results.push(await sampleCli(variant, entry, 'embedded', durationS))
    }
    return { durationS, results, notes }
  }
  const mosquitto = await startMosquitto()
  try {
    notes.push(`broker: mosquitto on ${mosquitto.url} (test/helpers/mosquitto.ts); the CLIs ran side by side, each its own device id`)
    progress(`demo: braking demo, ${entries.map(([variant]) => variant).join(' and ')} side by side, broker ${mosquitto.url}, ${durationS} s, /proc sampled every second…`)
    const results = await Promise.all(entries.map(([variant, entry]) => sampleCli(variant, entry, mosquitto.url, durationS)))
    return { durationS, results, notes }
  } finally {
    await mosquitto.remove()
  }
}
