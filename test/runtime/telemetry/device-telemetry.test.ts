import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import type { AlarmEvent } from '../../../runtime/alarms/engine.ts'
import { openTelemetry, type RunningTelemetry } from '../../../runtime/cli/telemetry-setup.ts'
import { startEmbeddedBroker, type EmbeddedBroker } from '../../../runtime/mqtt/embedded-broker.ts'
import type { RuntimeCommand } from '../../../runtime/rt-thread/runtime-command.ts'
import { COMMAND_NAMES } from '../../../runtime/telemetry/commands.ts'
import type { CommandTarget } from '../../../runtime/telemetry/device-telemetry.ts'
import { connectPeer, type MqttPeer } from '../../helpers/mqtt-peer.ts'
import { tempDir } from '../../helpers/temp-files.ts'

const { dir } = tempDir()
const until = async (check: () => boolean, what: string, timeoutMs = 5000): Promise<void> => {
  const endMs = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > endMs) assert.fail(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

/** A runtime stand-in: records the commands it is given; refuses every other one. */
function fakeTarget(): CommandTarget & { readonly commands: RuntimeCommand[] } {
  const commands: RuntimeCommand[] = []
  return {
    commands,
    command: async command => {
      commands.push(command)
      return commands.length % 2 === 0 ? { ok: false, reason: 'refused by the fake' } : { ok: true }
    },
    metrics: async () => ({ metrics: [], readings: {}, alarms: [], outputs: { brake: 1 } }),
  }
}

const event: AlarmEvent = { alarmId: 'fever', taskId: 'temp', severity: 'low', category: 'value', from: 'normal', to: 'active-unacknowledged', cause: 'condition', acknowledged: false, atMs: 5, inputs: [{ channel: 'temp.temperatureC', value: 38.4, trust: 'good' }] }

describe('device telemetry through the embedded aedes broker', () => {
  let broker: EmbeddedBroker
  let device: RunningTelemetry
  let peer: MqttPeer
  const target = fakeTarget()
  const notices: string[] = []

  before(async () => {
    broker = await startEmbeddedBroker({ port: 0 })
    peer = await connectPeer(broker.url)
    await peer.subscribe('edgert/aedes-dev/#', 1)
    const opened = await openTelemetry({ broker: broker.url, deviceId: 'aedes-dev', outboxDir: `${dir}/outbox`, outboxMaxBytes: 1 << 20 }, message => notices.push(message), () => undefined)
    assert.ok(opened !== undefined)
    device = opened
    await until(() => device.telemetry.stats.connected, 'the link to connect')
    await device.start(target)
  })
  after(async () => {
    await device.stop()
    await peer.close()
    await broker.close()
  })

  const bodies = (topic: string) => peer.received.filter(m => m.topic === topic).map(m => JSON.parse(m.payload.toString()) as Record<string, unknown>)

  it('announces the device online (retained) with the outputs, and publishes alarm events with seq and batched readings', async () => {
    await until(() => bodies('edgert/aedes-dev/status').length > 0 && bodies('edgert/aedes-dev/actuators/brake').length > 0, 'status and outputs')
    assert.equal(bodies('edgert/aedes-dev/status')[0]?.state, 'online')
    device.telemetry.onAlarm(event, 1_800_000_000_000)
    device.telemetry.onAlarm({ ...event, from: 'active-unacknowledged', to: 'returned-unacknowledged' }, 1_800_000_001_000)
    device.telemetry.onReadings([1, 2, 3].map(i => ({ taskId: 'temp', t: 1_800_000_000_000 + i, quality: 'good' as const, values: { temperatureC: 38 + i / 10 } })))
    await until(() => bodies('edgert/aedes-dev/alarms/fever/events').length === 2 && bodies('edgert/aedes-dev/telemetry/temp').length > 0, 'events and a batch')
    assert.deepEqual(bodies('edgert/aedes-dev/alarms/fever/events').map(body => body.seq), [1, 2])
    const batch = bodies('edgert/aedes-dev/telemetry/temp')[0]!
    assert.deepEqual((batch.readings as { seq: number }[]).map(r => r.seq), [1, 2, 3])
    assert.equal(bodies('edgert/aedes-dev/alarms/fever').at(-1)?.state, 'returned-unacknowledged')
  })

  it('answers every command, fuzzed or not, exactly once on cmd-result', async () => {
    const sent = fc.sample(fc.tuple(fc.constantFrom(...COMMAND_NAMES, 'nope'), fc.oneof(fc.jsonValue().map(v => JSON.stringify(v)), fc.string())), 150)
    const before = peer.received.filter(m => m.topic === 'edgert/aedes-dev/cmd-result').length
    for (const [name, payload] of sent) await peer.publish(`edgert/aedes-dev/cmd/${name}`, payload, { qos: 1 })
    const expiresAt = Date.now() + 60_000
    await peer.publish('edgert/aedes-dev/cmd/acknowledge', JSON.stringify({ id: 'real-1', expiresAt, alarm: 'fever' }), { qos: 1 })
    await until(() => peer.received.filter(m => m.topic === 'edgert/aedes-dev/cmd-result').length === before + sent.length + 1, `${sent.length + 1} answers`, 10_000)
    const real = bodies('edgert/aedes-dev/cmd-result').find(body => body.id === 'real-1')
    assert.equal(real?.accepted, true)
    assert.deepEqual(target.commands.at(-1), { kind: 'alarm', alarmId: 'fever', command: 'acknowledge' })
  })
})
