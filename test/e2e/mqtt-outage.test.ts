import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { after, before, it } from 'node:test'
import mqtt from 'mqtt'
import { describeWithMosquitto, startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts'

/** The issue asks for 30 s; EDGERT_OUTAGE_S shortens it for a quick local run. */
const OUTAGE_S = Number(process.env.EDGERT_OUTAGE_S ?? 30)
const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

interface Received {
  readonly topic: string
  readonly body: Record<string, unknown>
  readonly afterOutage: boolean
}

describeWithMosquitto(`a ${OUTAGE_S} s broker outage while the device publishes 100 readings/s and raises alarms`, () => {
  let broker: Mosquitto
  before(async () => {
    broker = await startMosquitto({ persistence: true })
  })
  after(async () => {
    await broker.remove()
  })

  it('loses no seq, sends the backlog alarms before the backlog telemetry, and keeps duplicates bounded', { timeout: (OUTAGE_S + 60) * 1000 }, async () => {
    const device = 'outage-vehicle'
    const root = `edgert/${device}`
    // A subscriber with a persistent session: the broker keeps its subscription across the restart.
    const subscriber = mqtt.connect(broker.url, { clientId: 'outage-subscriber', clean: false, protocolVersion: 4, reconnectPeriod: 200 })
    const received: Received[] = []
    let restarted = false
    subscriber.on('message', (topic, payload) => received.push({ topic, body: JSON.parse(payload.toString()) as Record<string, unknown>, afterOutage: restarted }))
    subscriber.on('error', () => undefined)
    await new Promise<void>(resolve => subscriber.once('connect', () => resolve()))
    await subscriber.subscribeAsync(`${root}/#`, { qos: 1 })

    // The obstacle of the braking scenario comes into range at ~4 s: inside the outage.
    // After the outage the device runs on long enough to send its backlog (rate-limited) and the live readings.
    const durationS = OUTAGE_S + 20
    const child = spawn(process.execPath, ['--import', 'tsx', 'runtime/cli/main.ts', 'run', '--board', 'sim', '--tasks', 'tasks/vehicle-braking.json', '--scenario', 'scenarios/vehicle-braking.json', '--duration', String(durationS), '--quiet', '--broker', broker.url, '--device-id', device], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdout.resume()
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))

    await sleep(2500)
    await broker.stop()
    await sleep(OUTAGE_S * 1000)
    restarted = true
    await broker.restart()
    assert.equal(await exited, 0, stderr)
    await sleep(1500)
    await subscriber.endAsync()

    const lidar = received.filter(m => m.topic === `${root}/telemetry/lidar`)
    const seqs = lidar.flatMap(m => (m.body.readings as { seq: number }[]).map(r => r.seq))
    const distinct = new Set(seqs)
    const highest = Math.max(...seqs)
    assert.ok(highest > 100 * (durationS - 3), `${highest} lidar readings published`)
    const missing = Array.from({ length: highest }, (_, i) => i + 1).filter(seq => !distinct.has(seq))
    assert.deepEqual(missing, [], 'no seq lost')
    const duplicates = seqs.length - distinct.size
    assert.ok(duplicates <= 50 * 16, `${duplicates} duplicate readings (at most one in-flight window of batches)`)

    const backlog = received.filter(m => m.afterOutage && m.body.historical === true)
    const firstBacklogAlarm = backlog.findIndex(m => m.topic.endsWith('/events'))
    const firstBacklogTelemetry = backlog.findIndex(m => m.topic.includes('/telemetry/'))
    assert.ok(firstBacklogAlarm >= 0, 'alarm events raised during the outage arrived, marked historical')
    assert.ok(firstBacklogTelemetry > firstBacklogAlarm, `backlog alarms first (alarm at ${firstBacklogAlarm}, telemetry at ${firstBacklogTelemetry})`)
    const events = received.filter(m => m.topic.endsWith('/events')).map(m => m.body.seq as number)
    assert.deepEqual([...new Set(events)].sort((a, b) => a - b), Array.from({ length: Math.max(...events) }, (_, i) => i + 1), 'every alarm event seq arrived')
    process.stdout.write(`# outage ${OUTAGE_S} s: ${highest} lidar readings, ${duplicates} duplicates, ${backlog.length} historical messages\n`)
  })
})
