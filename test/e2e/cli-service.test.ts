import assert from 'node:assert/strict'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { startEmbeddedBroker, type EmbeddedBroker } from '../../runtime/mqtt/embedded-broker.ts'
import { connectPeer } from '../helpers/mqtt-peer.ts'
import { tempDir } from '../helpers/temp-files.ts'

// edgert as a systemd service, without systemd: the notify socket is a Unix datagram socket this
// test binds (what systemd reads is exactly what arrives here), the watchdog period comes from
// WATCHDOG_USEC, and the crash loop is made by SIGKILLing the runtime once it said READY=1.
const { dir, write } = tempDir()
const CLI = ['--import', 'tsx', 'runtime/cli/main.ts']
const edgert = (...args: string[]) => spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', timeout: 60_000 })

interface FakeSystemd {
  readonly path: string
  readonly messages: string[]
  /** Resolves when a datagram matching `pattern` arrives (or has). */
  until(pattern: RegExp, timeoutMs?: number): Promise<string>
  close(): void
}

let sockets = 0
function fakeSystemd(): FakeSystemd {
  const unix = createRequire(import.meta.url)('unix-dgram') as { createSocket(type: string, listener: (buffer: Buffer) => void): { bind(path: string): void; close(): void } }
  const path = join(dir, `notify-${++sockets}`)
  const messages: string[] = []
  const waiters = new Set<() => void>()
  const socket = unix.createSocket('unix_dgram', buffer => {
    messages.push(buffer.toString('utf8'))
    for (const wake of waiters) wake()
  })
  socket.bind(path)
  return {
    path,
    messages,
    until: (pattern, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const found = messages.find(message => pattern.test(message))
          if (found === undefined) return
          waiters.delete(check)
          clearTimeout(timer)
          resolve(found)
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; got ${JSON.stringify(messages)}`))
        }, timeoutMs)
        waiters.add(check)
        check()
      }),
    close: () => socket.close(),
  }
}

/** Starts `edgert run` as systemd would (NOTIFY_SOCKET, WATCHDOG_USEC); resolves with its exit and output once it ends. */
function runAsService(systemd: FakeSystemd, args: string[], watchdogUsec = 1_000_000): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; stderr: string; stdout: string }> } {
  const child = spawn(process.execPath, [...CLI, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NOTIFY_SOCKET: systemd.path, WATCHDOG_USEC: String(watchdogUsec) } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string; stdout: string }>(resolve => child.on('exit', (code, signal) => resolve({ code, signal, stderr, stdout })))
  return { child, done }
}

describe('edgert service install', () => {
  it('--print: the unit runs this node and the compiled CLI with absolute paths, the guard and JSON logs', () => {
    const result = edgert('service', 'install', '--board', 'sim', '--tasks', 'tasks/vehicle-braking.json', '--user', 'edge', '--print', '--', '--broker', 'mqtt://broker.lan:1883', '--ca', 'certs/ca.pem')
    assert.equal(result.status, 0, result.stderr)
    const exec = result.stdout.split('\n').find(line => line.startsWith('ExecStart='))
    assert.ok(exec !== undefined, result.stdout)
    assert.ok(exec.startsWith(`ExecStart=${process.execPath} ${join(process.cwd(), 'dist', 'runtime', 'cli', 'main.js')} run --board sim --tasks ${join(process.cwd(), 'tasks', 'vehicle-braking.json')} --data-dir /var/lib/edgert --log-format json --quiet --safe-mode-after 5 --safe-mode-window 600`), exec)
    assert.ok(exec.endsWith(`--broker mqtt://broker.lan:1883 --ca ${join(process.cwd(), 'certs', 'ca.pem')}`), exec)
    assert.match(result.stdout, /^User=edge$/m)
    assert.match(result.stdout, /^WatchdogSec=10$/m)
  })

  it('writes the unit where asked and says what to run next', () => {
    const file = join(dir, 'edgert.service')
    const result = edgert('service', 'install', '--board', 'sim', '--tasks', 'tasks/vehicle-braking.json', '--user', 'no-such-user-here', '--watchdog-sec', '6', '--rt-priority', '70', '--output', file)
    assert.equal(result.status, 0, result.stderr)
    const unit = readFileSync(file, 'utf8')
    assert.match(unit, /^WatchdogSec=6$/m)
    assert.match(unit, /^LimitRTPRIO=70$/m)
    assert.match(unit, / --rt-priority 70( |$)/m)
    assert.match(result.stdout, /sudo useradd --system .*no-such-user-here/)
    assert.match(result.stdout, /sudo systemctl enable --now edgert/)
  })

  it('refuses a bad table, an unknown run option, and a password on the command line, exit 2 without a stack trace', () => {
    const bad = edgert('service', 'install', '--board', 'sim', '--tasks', write('bad.json', { version: 1, scheduling: { policy: 'edf' }, tasks: [] }), '--print')
    assert.equal(bad.status, 2)
    assert.match(bad.stderr, /bad\.json: tasks/)
    const typo = edgert('service', 'install', '--board', 'sim', '--tasks', 'tasks/vehicle-braking.json', '--print', '--', '--brokr', 'mqtt://x')
    assert.equal(typo.status, 2)
    assert.match(typo.stderr, /edgert run has no option --brokr/)
    const password = edgert('service', 'install', '--board', 'sim', '--tasks', 'tasks/vehicle-braking.json', '--print', '--', '--password', 'hunter2')
    assert.equal(password.status, 2)
    assert.match(password.stderr, /EDGERT_MQTT_PASSWORD in the environment file/)
    for (const result of [bad, typo, password]) assert.doesNotMatch(result.stderr, /^\s+at .+:\d+:\d+\)?$/m)
  })
})

describe('edgert run under systemd (Type=notify, WatchdogSec)', () => {
  it('says READY=1 once running, pings WATCHDOG=1 every half period while healthy, and STOPPING=1 at the end', async () => {
    const systemd = fakeSystemd()
    try {
      const run = runAsService(systemd, ['--board', 'sim', '--tasks', 'tasks/tables/scheduler-demo.json', '--broker', 'none', '--duration', '4', '--quiet', '--data-dir', join(dir, 'healthy')])
      const result = await run.done
      assert.equal(result.code, 0, result.stderr)
      const kinds = systemd.messages.map(message => message.split('\n')[0])
      assert.equal(kinds[0], 'READY=1', JSON.stringify(systemd.messages))
      assert.match(systemd.messages[0] ?? '', /STATUS=running \d+ task\(s\) of scheduler-demo\.json on sim/)
      assert.ok(kinds.filter(kind => kind === 'WATCHDOG=1').length >= 5, `4 s at one ping per 0.5 s: ${JSON.stringify(kinds)}`)
      assert.equal(kinds.at(-1), 'STOPPING=1')
    } finally {
      systemd.close()
    }
  })

  it('stops pinging while a critical task misses its deadlines, and says why in STATUS', async () => {
    // A safe-state task that holds the processor for 15 ms every 10 ms: it misses every deadline.
    const overloaded = write('overloaded.json', {
      version: 1,
      scheduling: { policy: 'fifo', admission: 'warn' },
      tasks: [{ id: 'control', kind: 'synthetic', periodMs: 10, budgetMs: 15, computeMs: 15, onMiss: 'safe-state' }],
    })
    const systemd = fakeSystemd()
    try {
      const run = runAsService(systemd, ['--board', 'sim', '--tasks', overloaded, '--broker', 'none', '--duration', '3', '--quiet', '--data-dir', join(dir, 'overloaded')])
      const result = await run.done
      assert.equal(result.code, 0, result.stderr)
      const afterReady = systemd.messages.slice(1)
      assert.deepEqual(afterReady.filter(message => message === 'WATCHDOG=1').length, 1, `only the ping at READY: ${JSON.stringify(systemd.messages)}`)
      assert.ok(afterReady.some(message => /^STATUS=UNHEALTHY: control: missed \d+ of \d+ deadline\(s\)/.test(message)), JSON.stringify(afterReady))
      assert.match(result.stderr, /executive unhealthy: control: missed/)
    } finally {
      systemd.close()
    }
  })
})

describe('the crash-loop guard', () => {
  let broker: EmbeddedBroker
  before(async () => {
    broker = await startEmbeddedBroker({ port: 0 })
  })
  after(async () => {
    await broker.close()
  })

  it('after 2 starts killed before they were stable, the next start is in safe mode: outputs safe, no task, status safe-mode; service reset ends it', async () => {
    const dataDir = join(dir, 'crashing')
    const args = ['--board', 'sim', '--tasks', 'tasks/vehicle-braking.json', '--broker', broker.url, '--device-id', 'crashy', '--quiet', '--data-dir', dataDir, '--safe-mode-after', '2']
    for (let start = 0; start < 2; start++) {
      const systemd = fakeSystemd()
      const run = runAsService(systemd, args)
      await systemd.until(/^READY=1/)
      run.child.kill('SIGKILL')
      assert.equal((await run.done).signal, 'SIGKILL')
      systemd.close()
    }
    const peer = await connectPeer(broker.url)
    await peer.subscribe('edgert/crashy/status', 1)
    const systemd = fakeSystemd()
    try {
      const safe = runAsService(systemd, [...args, '--duration', '3'])
      const ready = await systemd.until(/^READY=1/)
      assert.match(ready, /STATUS=SAFE MODE: 2 failed starts in the last 10 min/)
      const result = await safe.done
      assert.equal(result.code, 0, result.stderr)
      assert.match(result.stderr, /SAFE MODE: 2 failed starts/)
      assert.match(result.stdout, /outputs: statusLed=0 {2}brake=1 {2}buzzer=0/, 'every output at its safe level (the brake on)')
      assert.match(result.stdout, /^lidar +0 +0 /m, 'no task released')
      const states = peer.received.filter(message => message.topic === 'edgert/crashy/status').map(message => JSON.parse(message.payload.toString()) as { state: string; detail?: string })
      const safeState = states.find(state => state.state === 'safe-mode')
      assert.ok(safeState !== undefined, JSON.stringify(states))
      assert.match(safeState.detail ?? '', /crash-loop guard/)
      assert.ok(systemd.messages.filter(message => message === 'WATCHDOG=1').length >= 3, 'a calm safe mode keeps the watchdog fed')
    } finally {
      systemd.close()
      await peer.close()
    }
    const reset = edgert('service', 'reset', '--data-dir', dataDir)
    assert.equal(reset.status, 0, reset.stderr)
    const normal = edgert('run', ...args, '--duration', '2')
    assert.equal(normal.status, 0, normal.stderr)
    assert.doesNotMatch(normal.stderr, /SAFE MODE/)
    assert.match(normal.stdout, /^lidar +[1-9]\d* /m)
  })
})
