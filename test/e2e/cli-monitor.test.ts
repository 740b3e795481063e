import assert from 'node:assert/strict'
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import type { Readable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import mqtt, { type MqttClient } from 'mqtt'
import { describeWithMosquitto, freeLoopbackPort, startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts'

// `edgert monitor` as a user runs it: a child process against a real broker, its output and exit code.

const CHILD_TIMEOUT_MS = 30_000
const noStack = (text: string): void => assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, text)

interface Running {
  readonly child: ChildProcessByStdio<null, Readable, Readable>
  readonly output: { stdout: string; stderr: string }
  readonly exit: Promise<number | null>
}

/** Starts the CLI; it is killed if it outlives CHILD_TIMEOUT_MS. */
function startCli(args: string[]): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', 'runtime/cli/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const output = { stdout: '', stderr: '' }
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()))
  const guard = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS)
  const exit = new Promise<number | null>(resolve => child.on('exit', code => {
    clearTimeout(guard)
    resolve(code)
  }))
  return { child, output, exit }
}

async function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const running = startCli(args)
  const code = await running.exit
  return { code, ...running.output }
}

/** Polls until `done()` holds; fails with `what()` after 10 s. */
async function waitFor(done: () => boolean, what: () => string): Promise<void> {
  const untilMs = performance.now() + 10_000
  while (!done()) {
    if (performance.now() > untilMs) assert.fail(`timed out waiting: ${what()}`)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

const identity = (deviceId: string) => ({ deviceId, bootId: `boot-${deviceId}`, version: '0.1.0' })

function publish(client: MqttClient, topic: string, body: unknown, retain: boolean): Promise<unknown> {
  return client.publishAsync(topic, typeof body === 'string' ? body : JSON.stringify(body), { qos: 1, retain })
}

function alarmState(deviceId: string, alarmId: string, state: string, acknowledged: boolean, sinceMs: number) {
  return { ...identity(deviceId), alarmId, taskId: 'lidar', severity: 'high', category: 'value', state, acknowledged, since: new Date(sinceMs).toISOString() }
}

describeWithMosquitto('edgert monitor against mosquitto', () => {
  let broker: Mosquitto
  let client: MqttClient
  before(async () => {
    broker = await startMosquitto()
    client = await mqtt.connectAsync(broker.url, { clientId: 'e2e-monitor-publisher', protocolVersion: 4 })
  })
  after(async () => {
    await client.endAsync()
    await broker.remove()
  })

  it('--once lists the devices from their retained messages: status, the active alarm with its severity, the outputs, the bad payloads', async () => {
    const startedAt = new Date(Date.now() - 60_000).toISOString()
    for (const device of ['once-a', 'once-b']) await publish(client, `edgert/${device}/status`, { ...identity(device), state: 'online', startedAt }, true)
    await publish(client, 'edgert/once-a/alarms/collision-imminent', alarmState('once-a', 'collision-imminent', 'active-unacknowledged', false, Date.now() - 5000), true)
    await publish(client, 'edgert/once-a/alarms/overheat', { ...alarmState('once-a', 'overheat', 'normal', true, Date.now()), severity: 'low' }, true)
    await publish(client, 'edgert/once-a/actuators/brake', { ...identity('once-a'), level: 1, cause: 'alarm', by: 'collision-imminent', t: Date.now() }, true)
    await publish(client, 'edgert/once-a/actuators/horn', '{oops', true)

    const result = await runCli(['monitor', '--broker', broker.url, '--once'])
    assert.equal(result.code, 0, result.stderr)
    const out = result.stdout
    assert.match(out, new RegExp(`^edgert monitor — connected to ${broker.url} — 2 devices, 1 bad payload$`, 'm'), out)
    assert.match(out, /^once-a: online — last message .* ago — boot boot-onc, version 0.1.0/m, out)
    assert.match(out, /^once-b: online/m, out)
    assert.match(out, /^\s+high\s+collision-imminent\s+active-unacknowledged\s+\d+(\.\d)? s\s+no\s+value$/m, out)
    assert.doesNotMatch(out, /overheat\s/, 'a normal alarm is not listed')
    assert.match(out, /outputs: brake=1 \(alarm collision-imminent\)/, out)
    assert.match(out, /bad payloads: 1; the last: edgert\/once-a\/actuators\/horn: not JSON/, out)
    assert.match(result.stderr, /connected to/)

    const one = await runCli(['monitor', '--broker', broker.url, '--once', '--device', 'once-b'])
    assert.equal(one.code, 0, one.stderr)
    assert.match(one.stdout, /— 1 device, 0 bad payloads$/m, one.stdout)
    assert.doesNotMatch(one.stdout, /once-a/)
  })

  it('piped, prints one line per notable change as it happens, and the view at the end of a SIGINT', async () => {
    const device = 'live-1'
    const status = (state: string) => publish(client, `edgert/${device}/status`, { ...identity(device), state, startedAt: new Date().toISOString() }, true)
    const brake = (level: number) => publish(client, `edgert/${device}/actuators/brake`, { ...identity(device), level, cause: level === 1 ? 'alarm' : 'clear', by: level === 1 ? 'collision-imminent' : undefined, t: Date.now() }, true)
    const transition = async (from: string, to: string, cause: string, acknowledged: boolean): Promise<void> => {
      const t = Date.now()
      await publish(client, `edgert/${device}/alarms/collision-imminent/events`, { ...identity(device), seq: 1, alarmId: 'collision-imminent', taskId: 'lidar', severity: 'high', category: 'value', from, to, cause, acknowledged, t, inputs: [{ channel: 'lidar.distanceM', value: 7.5, trust: 'good' }] }, false)
      await publish(client, `edgert/${device}/alarms/collision-imminent`, alarmState(device, 'collision-imminent', to, acknowledged, t), true)
    }
    await status('online')
    await brake(0)
    const running = startCli(['monitor', '--broker', broker.url, '--device', device, '--duration', '20'])
    // The retained output arrives once its subscription is in place, and the alarms' one was made before it.
    await waitFor(() => running.output.stdout.includes('output brake = 0'), () => running.output.stdout + running.output.stderr)
    await transition('normal', 'active-unacknowledged', 'condition', false)
    await brake(1)
    await transition('active-unacknowledged', 'active-acknowledged', 'acknowledge', true)
    await transition('active-acknowledged', 'normal', 'condition', true)
    await status('offline')
    await waitFor(() => running.output.stdout.includes('device offline'), () => running.output.stdout)
    running.child.kill('SIGINT')
    assert.equal(await running.exit, 0, running.output.stderr)

    const lines = running.output.stdout.split('\n').filter(line => /^\d{4}-\d\d-\d\dT/.test(line)).map(line => line.replace(/^\S+ /, ''))
    assert.deepEqual(lines, [
      'live-1 device online — boot boot-liv, version 0.1.0',
      'live-1 output brake = 0 (clear)',
      'live-1 alarm collision-imminent (high, value) RAISED: active-unacknowledged — lidar.distanceM 7.5',
      'live-1 output brake 0 → 1 (alarm collision-imminent)',
      'live-1 alarm collision-imminent (high, value) acknowledged: active-acknowledged',
      'live-1 alarm collision-imminent (high, value) cleared — lidar.distanceM 7.5',
      'live-1 device offline (was online) — boot boot-liv, version 0.1.0',
    ])
    assert.match(running.output.stdout, /^live-1: offline — last message/m, 'the view at the end')
  })
})

describe('edgert monitor without a broker', () => {
  it('keeps saying it is connecting; --once with --duration gives up with exit 1, without a stack trace', async () => {
    const url = `mqtt://127.0.0.1:${await freeLoopbackPort()}`
    const result = await runCli(['monitor', '--broker', url, '--once', '--duration', '1'])
    assert.equal(result.code, 1, result.stderr)
    assert.match(result.stderr, new RegExp(`edgert monitor: connecting to ${url}…`))
    assert.match(result.stderr, new RegExp(`edgert monitor: ${url} unreachable \\(.*ECONNREFUSED.*\\); retrying`))
    assert.match(result.stderr, /no connection to .* within 1 s/)
    assert.match(result.stdout, /^edgert monitor — .* unreachable/m)
    noStack(result.stderr)
  })

  it('exits 2 for a bad broker URL, device id or topic prefix', async () => {
    for (const args of [['--broker', 'http://example.org'], ['--broker', 'mqtt://localhost', '--device', 'a/b'], ['--broker', 'mqtt://localhost', '--topic-prefix', '$SYS'], ['--broker', 'mqtt://localhost', '--duration', '0']]) {
      const result = await runCli(['monitor', ...args])
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`)
      noStack(result.stderr)
    }
  })
})
