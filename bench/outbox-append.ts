/**
 * `node --import tsx bench/outbox-append.ts [--seconds S] [--dir DIR]`: throughput of the durable
 * outbox (runtime/outbox) on this machine's disk. Reports; never fails on a number.
 *
 * - telemetry appends/s: group commit (fsync on the threadpool at most every 100 ms)
 * - alarm appends/s: every append fsynced before it returns
 * - ack/s and take+ack/s of a backlog, and open() (recovery scan) time per 10,000 records
 *
 * Put --dir on the filesystem the device will use (an SD card is slower than this by an order
 * of magnitude for fsync). The default is a folder under os.tmpdir().
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Outbox, type OutboxClass } from '../runtime/outbox/outbox.ts'

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' }, dir: { type: 'string' } } })
const seconds = Number(values.seconds)
const root = mkdtempSync(join(values.dir ?? tmpdir(), 'edgert-outbox-bench-'))
const PAYLOAD = JSON.stringify({ deviceId: 'pi-01', bootId: 'b7', seq: 123456, atMs: 1_700_000_000_000, temperatureC: 21.53, humidityPct: 40.2 })
let runs = 0

function open(): Promise<{ outbox: Outbox }> {
  return Outbox.open({ dir: join(root, `run-${++runs}`), maxBytes: 512 * 1024 * 1024, wallNow: Date.now, now: () => performance.now(), onError: error => console.error(error.message) })
}

/** Appends `cls` for `seconds`, giving the event loop a turn every 100 appends (as a runtime would). */
async function appendRate(cls: OutboxClass): Promise<{ perS: number; records: number; outbox: Outbox }> {
  const { outbox } = await open()
  const startMs = performance.now()
  let records = 0
  while (performance.now() - startMs < seconds * 1000) {
    for (let n = 0; n < 100; n++) {
      const result = outbox.append(cls, 'devices/pi-01/telemetry', PAYLOAD)
      if (!result.ok) throw new Error(result.reason)
      records++
    }
    await new Promise(resolve => setImmediate(resolve))
  }
  return { perS: records / ((performance.now() - startMs) / 1000), records, outbox }
}

const rows: [string, string][] = []
const telemetry = await appendRate('telemetry')
rows.push(['telemetry append (group fsync)', `${Math.round(telemetry.perS).toLocaleString('en')} /s (${((1e6 / telemetry.perS)).toFixed(2)} µs each)`])
const drainStartMs = performance.now()
let drained = 0
for (let batch = telemetry.outbox.take(20); batch.length > 0; batch = telemetry.outbox.take(20)) {
  for (const entry of batch) telemetry.outbox.ack(entry.id)
  drained += batch.length
}
rows.push(['take(20) + ack, backlog drain', `${Math.round(drained / ((performance.now() - drainStartMs) / 1000)).toLocaleString('en')} /s (${drained.toLocaleString('en')} entries)`])
await telemetry.outbox.close()

const alarms = await appendRate('alarm')
rows.push(['alarm append (fsync each)', `${Math.round(alarms.perS).toLocaleString('en')} /s (${((1e6 / alarms.perS) / 1000).toFixed(2)} ms each)`])
await alarms.outbox.close()

const backlog = await open()
for (let n = 0; n < 100_000; n++) backlog.outbox.append(n % 10 === 0 ? 'state' : 'telemetry', 'devices/pi-01/telemetry', PAYLOAD)
await backlog.outbox.close()
const openStartMs = performance.now()
const reopened = await Outbox.open({ dir: join(root, `run-${runs}`), maxBytes: 512 * 1024 * 1024, wallNow: Date.now, now: () => performance.now() })
const openMs = performance.now() - openStartMs
rows.push(['open() with 100,000 pending', `${openMs.toFixed(0)} ms (${(openMs / 10).toFixed(1)} ms per 10,000 records, ${(reopened.report.bytes / 1e6).toFixed(1)} MB)`])
await reopened.outbox.close()

rmSync(root, { recursive: true, force: true })
const width = Math.max(...rows.map(([name]) => name.length))
console.log(`outbox on ${values.dir ?? tmpdir()}, ${PAYLOAD.length}-byte payloads, ${seconds} s per rate`)
for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`)
