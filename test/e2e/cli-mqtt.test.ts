import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { after, before, it } from 'node:test'
import mqtt from 'mqtt'
import { describeWithMosquitto, startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts'

interface Received {
  readonly topic: string
  readonly body: Record<string, unknown>
  readonly retain: boolean
}

/** Runs the CLI to its end; resolves with its exit code and output. */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'runtime/cli/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('exit', code => resolve({ code, stdout, stderr }))
  })
}

describeWithMosquitto('edgert run publishing to mosquitto (the braking demo)', () => {
  let broker: Mosquitto
  before(async () => {
    broker = await startMosquitto()
  })
  after(async () => {
    await broker.remove()
  })

  it('status, alarm events with consecutive seq, retained alarm and output states, telemetry batches without gaps, and commands answered', async () => {
    const device = 'e2e-vehicle'
    const root = `edgert/${device}`
    const subscriber = await mqtt.connectAsync(broker.url, { clientId: 'e2e-subscriber', protocolVersion: 4 })
    const received: Received[] = []
    const commandsSent = new Set<string>()
    const command = (name: string, body: unknown): void => void subscriber.publish(`${root}/cmd/${name}`, typeof body === 'string' ? body : JSON.stringify(body), { qos: 1 })
    subscriber.on('message', (topic, payload, packet) => {
      if (topic.startsWith(`${root}/cmd/`)) return // our own commands
      const body = JSON.parse(payload.toString()) as Record<string, unknown>
      received.push({ topic, body, retain: packet.retain })
      // Once the collision alarm is raised, an operator acknowledges it — and tries a few bad commands.
      if (topic === `${root}/alarms/collision-imminent/events` && body.to === 'active-unacknowledged' && !commandsSent.has('ack')) {
        commandsSent.add('ack')
        const expiresAt = Date.now() + 60_000
        command('acknowledge', { id: 'ack-1', expiresAt, alarm: 'collision-imminent' })
        command('acknowledge', { id: 'ack-1', expiresAt, alarm: 'collision-imminent' })
        command('acknowledge', { id: 'old-1', expiresAt: Date.now() - 1000, alarm: 'collision-imminent' })
        command('reset', { id: 'reset-1', expiresAt, alarm: 'collision-imminent' })
        command('shelve', { id: 'shelve-1', expiresAt, alarm: 'collision-imminent', durationS: 60 })
        command('acknowledge', '{not json')
        command('launch', { id: 'x-1', expiresAt })
        command('set-threshold', { id: 'thr-1', expiresAt, alarm: 'collision-imminent', threshold: 'setBelow', value: 3 })
        command('pause', { id: 'pause-1', expiresAt, task: 'imu' })
      }
    })
    await subscriber.subscribeAsync(`${root}/#`, { qos: 1 })
    const result = await runCli(['run', '--board', 'sim', '--tasks', 'tasks/vehicle-braking.json', '--scenario', 'scenarios/vehicle-braking.json', '--duration', '7', '--quiet', '--broker', broker.url, '--device-id', device])
    assert.equal(result.code, 0, result.stderr)
    await new Promise(resolve => setTimeout(resolve, 500))
    await subscriber.endAsync()

    const status = received.filter(message => message.topic === `${root}/status`).map(message => message.body.state)
    assert.equal(status[0], 'online', JSON.stringify(status))
    assert.equal(status.at(-1), 'offline', 'a clean stop publishes offline itself')

    const events = received.filter(message => message.topic.startsWith(`${root}/alarms/`) && message.topic.endsWith('/events')).map(message => message.body)
    assert.ok(events.length >= 3, `${events.length} alarm events`)
    assert.deepEqual(events.map(event => event.seq), events.map((_, i) => i + 1), 'alarm events carry consecutive seq from 1')
    const bootIds = new Set(received.map(message => message.body.bootId))
    assert.equal(bootIds.size, 1, 'one boot')
    const raised = events.find(event => event.alarmId === 'collision-imminent' && event.to === 'active-unacknowledged')
    assert.ok(raised !== undefined && raised.severity === 'high' && raised.deviceId === device)

    const brake = received.filter(message => message.topic === `${root}/actuators/brake`)
    assert.ok(brake.some(message => message.body.level === 1 && message.body.cause === 'alarm'), 'the brake change was published')
    const alarmState = received.filter(message => message.topic === `${root}/alarms/collision-imminent`).at(-1)
    assert.equal(alarmState?.body.state, 'latched')

    const lidar = received.filter(message => message.topic === `${root}/telemetry/lidar`).flatMap(message => message.body.readings as { seq: number; quality: string; values: Record<string, number | null> }[])
    assert.ok(lidar.length > 500, `${lidar.length} lidar readings`)
    assert.deepEqual(lidar.map(reading => reading.seq), lidar.map((_, i) => i + 1), 'telemetry seq is consecutive per task: no gap')
    assert.ok(lidar.some(reading => typeof reading.values.timeToCollisionS === 'number'), 'derived channels are in the telemetry')

    const answers = new Map<string, Record<string, unknown>[]>()
    for (const message of received.filter(m => m.topic === `${root}/cmd-result`)) {
      const id = String(message.body.id)
      answers.set(id, [...(answers.get(id) ?? []), message.body])
    }
    // The replay is refused at once; the first one is answered once the rt thread has applied it.
    const acks = answers.get('ack-1') ?? []
    assert.deepEqual(acks.map(answer => answer.accepted).sort(), [false, true], 'the first acknowledge applies; the replay is refused')
    assert.match(String(acks.find(answer => answer.accepted === false)?.reason), /already used/)
    assert.match(String(answers.get('old-1')?.[0]?.reason), /expired/)
    assert.match(String(answers.get('reset-1')?.[0]?.reason), /still present/)
    assert.match(String(answers.get('shelve-1')?.[0]?.reason), /cannot be shelved/)
    assert.match(String(answers.get('null')?.[0]?.reason), /not JSON/)
    assert.match(String(answers.get('x-1')?.[0]?.reason), /no command "launch"/)
    assert.match(String(answers.get('thr-1')?.[0]?.reason), /does not let setBelow/)
    assert.equal(answers.get('pause-1')?.[0]?.accepted, true)
    assert.ok(events.some(event => event.alarmId === 'collision-imminent' && event.cause === 'acknowledge'), 'the acknowledge is itself an alarm event')
  })
})
