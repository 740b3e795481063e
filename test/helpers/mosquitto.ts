import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { describe, test } from 'node:test'

/**
 * A mosquitto of our own for one test: its own port, config, data directory and log, started in
 * the foreground (never /etc/mosquitto or systemd; dependencies.md §8).
 */
export interface Mosquitto {
  /** `mqtt://127.0.0.1:<port>` */
  readonly url: string
  readonly port: number
  /** Holds mosquitto.conf, mosquitto.log and (with persistence) mosquitto.db. */
  readonly dataDir: string
  /** SIGTERM, then waits for the exit (SIGKILL after 5 s). The port and dir stay ours for restart(). */
  readonly stop: () => Promise<void>
  /** stop() if running, then start again on the same port and dir (an outage, for tests). */
  readonly restart: () => Promise<void>
  /** SIGSTOP: a hung broker; its sockets stay open and unanswered. */
  readonly pause: () => void
  /** SIGCONT after pause(). */
  readonly resume: () => void
  /** The broker's log so far, for failure messages. */
  readonly log: () => string
  /** stop(), then deletes the data dir. Call it in after()/finally. */
  readonly remove: () => Promise<void>
}

export interface MosquittoOptions {
  /** persistence true with its DB in dataDir, saved every second (and on SIGTERM). */
  readonly persistence?: boolean
  /** Lines appended to the config (e.g. `acl_file …`); files it names may go in `dataDir` via `files`. */
  readonly extraConfig?: (dataDir: string) => string
  /** Files written into dataDir before start, name → content. */
  readonly files?: Readonly<Record<string, string>>
}

const START_TIMEOUT_MS = 5_000
const STOP_TIMEOUT_MS = 5_000
const FALLBACK_PATH = '/usr/sbin/mosquitto'

/** The mosquitto binary: the first on PATH (like `which`), else /usr/sbin/mosquitto (Debian puts it in sbin). */
export function mosquittoPath(): string | undefined {
  const candidates = [...(process.env.PATH ?? '').split(delimiter).filter(dir => dir !== '').map(dir => join(dir, 'mosquitto')), FALLBACK_PATH]
  return candidates.find(isExecutable)
}

export function mosquittoAvailable(): boolean {
  return mosquittoPath() !== undefined
}

/**
 * Defines `define()`'s tests when mosquitto is installed. Without it: in CI (CI=true) one failing
 * test says what to install, so the suite cannot pass unnoticed; locally, a visible skip.
 */
export function describeWithMosquitto(title: string, define: () => void): void {
  if (mosquittoAvailable()) {
    describe(title, define)
    return
  }
  const reason = `mosquitto not found on PATH or at ${FALLBACK_PATH}: apt-get install mosquitto`
  if (process.env.CI === 'true') test(`${title}: mosquitto is installed (required in CI)`, () => assert.fail(`${reason} (in .ci/run)`))
  else void test.skip(`${title} (${reason})`)
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const binary = mosquittoPath()
  if (binary === undefined) throw new Error(`mosquitto not found on PATH or at ${FALLBACK_PATH}`)
  const port = await freeLoopbackPort()
  const dataDir = mkdtempSync(join(tmpdir(), 'edgert-mosquitto-'))
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(dataDir, name), content)
  const confFile = join(dataDir, 'mosquitto.conf')
  const logFile = join(dataDir, 'mosquitto.log')
  writeFileSync(confFile, config(port, dataDir, logFile, options))
  let child: ChildProcess | undefined
  let stderr = ''
  let paused = false
  // A test that fails before remove() must not leave a broker running after the process exits.
  const killOnExit = (): void => {
    child?.kill('SIGKILL')
  }
  process.on('exit', killOnExit)

  const log = (): string => `${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}${stderr}`
  const start = async (): Promise<void> => {
    stderr = ''
    const started = spawn(binary, ['-c', confFile], { stdio: ['ignore', 'ignore', 'pipe'] })
    started.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child = started
    await waitForListener(port, started, log)
  }
  const stop = async (): Promise<void> => {
    const running = child
    child = undefined
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return
    const exited = new Promise<void>(resolve => running.once('exit', () => resolve()))
    running.kill('SIGTERM')
    if (paused) running.kill('SIGCONT')
    paused = false
    const timer = setTimeout(() => running.kill('SIGKILL'), STOP_TIMEOUT_MS)
    await exited
    clearTimeout(timer)
  }

  await start()
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    dataDir,
    stop,
    restart: async () => {
      await stop()
      await start()
    },
    pause: () => {
      paused = child?.kill('SIGSTOP') === true
    },
    resume: () => {
      if (paused) child?.kill('SIGCONT')
      paused = false
    },
    log,
    remove: async () => {
      await stop()
      process.off('exit', killOnExit)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

function config(port: number, dataDir: string, logFile: string, options: MosquittoOptions): string {
  const lines = [
    // A port is required: `port 0` would mean a unix socket, not "any free port" (dependencies.md §8).
    `listener ${port} 127.0.0.1`,
    // With any `listener` line, mosquitto 2.0 refuses anonymous clients unless told otherwise.
    'allow_anonymous true',
    // Without it, a small alarm after a large telemetry message waits for the subscriber's delayed
    // ACK (timing-and-throughput.md, addendum).
    'set_tcp_nodelay true',
    `log_dest file ${logFile}`,
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    'connection_messages true',
  ]
  // As root, mosquitto drops to user `mosquitto`, which cannot write our root-owned temp dir: the
  // log file fails to open and persistence fails silently (dependencies.md §8; CI runs as root).
  if (process.getuid?.() === 0) lines.unshift('user root')
  if (options.persistence === true) lines.push('persistence true', `persistence_location ${dataDir}/`, 'autosave_interval 1')
  else lines.push('persistence false')
  if (options.extraConfig !== undefined) lines.push(options.extraConfig(dataDir))
  return `${lines.join('\n')}\n`
}

/** Binds port 0 and lets it go: a small race with other processes, accepted for tests (dependencies.md §8). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as { port: number }
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

/** Resolves once a TCP connect to the port succeeds; rejects with the log if mosquitto exits or is too slow. */
async function waitForListener(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadlineMs = performance.now() + START_TIMEOUT_MS
  let exit: string | undefined
  child.once('exit', (code, signal) => (exit = `exited with ${code ?? signal}`))
  while (performance.now() < deadlineMs) {
    if (exit !== undefined) throw new Error(`mosquitto ${exit} before listening on ${port}:\n${log()}`)
    if (await accepts(port)) return
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  child.kill('SIGKILL')
  throw new Error(`mosquitto did not listen on ${port} within ${START_TIMEOUT_MS} ms:\n${log()}`)
}

function accepts(port: number): Promise<boolean> {
  return new Promise<boolean>(resolve => {
    const socket = createConnection({ port, host: '127.0.0.1' })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}
