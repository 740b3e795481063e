import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AlarmEvent } from '../../../runtime/alarms/engine.ts'
import { Outbox } from '../../../runtime/outbox/outbox.ts'
import { DEFAULT_BATCH_LIMITS } from '../../../runtime/telemetry/batcher.ts'
import { DeviceTelemetry, type TelemetryLink } from '../../../runtime/telemetry/device-telemetry.ts'
import { Topics } from '../../../runtime/telemetry/topics.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'
import { ManualFsync, settle } from '../../helpers/manual-fsync.ts'
import { tempDir } from '../../helpers/temp-files.ts'

const { dir } = tempDir()
let opened = 0

/** A connected broker stand-in that never answers: what was published, by topic. */
class SilentLink implements TelemetryLink {
  readonly connected = true
  readonly inFlight = 0
  readonly topics: string[] = []
  publish(topic: string): Promise<void> {
    this.topics.push(topic)
    return new Promise(() => undefined)
  }
  subscribe(): void {}
}

const event: AlarmEvent = { alarmId: 'fever', taskId: 'temp', severity: 'high', category: 'value', from: 'normal', to: 'active-unacknowledged', cause: 'condition', acknowledged: false, atMs: 5, inputs: [] }

async function setup(fsync: ManualFsync, errors: string[]) {
  const clock = new VirtualClock()
  const { outbox } = await Outbox.open({ dir: `${dir}/outbox-${opened++}`, maxBytes: 1 << 20, wallNow: () => 1_000_000, now: () => clock.now(), fsync: fsync.fsync, onError: error => errors.push(error.message) })
  const link = new SilentLink()
  const unstorable: string[] = []
  const telemetry = new DeviceTelemetry({
    identity: { deviceId: 'dev', bootId: 'boot' },
    topics: new Topics('edgert', 'dev'),
    version: 'test',
    link,
    outbox,
    clock,
    wallNow: () => 1_000_000,
    batchLimits: () => DEFAULT_BATCH_LIMITS,
    onUnstorable: reason => unstorable.push(reason),
    onNotice: () => undefined,
  })
  return { outbox, link, telemetry, unstorable }
}

describe('DeviceTelemetry: an alarm event and its fsync', () => {
  it('publishes the event before its fsync completes, and stays quiet when the fsync succeeds', async () => {
    const fsync = new ManualFsync()
    const { outbox, link, telemetry, unstorable } = await setup(fsync, [])
    telemetry.onAlarm(event, 1_000_000)
    assert.equal(link.topics[0], 'edgert/dev/alarms/fever/events')
    await settle()
    assert.equal(fsync.waiting, 1, 'its fsync is still running')
    await fsync.complete()
    assert.deepEqual(unstorable, [])
    await fsync.completeUntil(outbox.close())
  })

  it('tells the runtime (onUnstorable, so it goes to its safe state) when the event\'s fsync fails', async () => {
    const fsync = new ManualFsync()
    const errors: string[] = []
    const { outbox, link, telemetry, unstorable } = await setup(fsync, errors)
    telemetry.onAlarm(event, 1_000_000)
    assert.equal(link.topics[0], 'edgert/dev/alarms/fever/events', 'it was sent all the same')
    await settle()
    await fsync.fail('EIO')
    assert.equal(unstorable.length, 1)
    assert.match(unstorable[0]!, /^alarm event fever #1 is not safely stored: alarm 1 was written but its fsync failed \(EIO/)
    assert.ok(errors.some(message => message.includes('cannot fsync the outbox')), 'and the outbox reported the disk failure')
    assert.equal(outbox.stats.byClass.alarm, 1, 'the event is kept')
    await fsync.completeUntil(outbox.close())
  })
})
