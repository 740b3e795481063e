/**
 * `node --import tsx bench/outbox-append.ts [--seconds S] [--dir DIR]`: throughput of the durable
 * outbox (runtime/outbox) on this machine's disk; also the `micro` group of bench/run.ts.
 * Reports; never fails on a number.
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
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Outbox, type OutboxClass } from '../runtime/outbox/outbox.ts'
import { round, type Measure } from './measure.ts'

export interface OutboxAppendResult {
  readonly dir: string
  readonly payloadBytes: number
  readonly seconds: number
  readonly telemetryAppendPerS: number
  readonly drainPerS: number
  readonly drained: number
  readonly alarmAppendPerS: number
  readonly openMs: number
  readonly openRecords: number
  readonly openMegabytes: number
}

const PAYLOAD = JSON.stringify({ deviceId: 'pi-01', bootId: 'b7', seq: 123456, atMs: 1_700_000_000_000, temperatureC: 21.53, humidityPct: 40.2 })
const BACKLOG = 100_000

export async function runOutboxAppendBench(options: { seconds: number; dir?: string }): Promise<OutboxAppendResult> {
  const { seconds } = options
  const base = options.dir ?? tmpdir()
  const root = mkdtempSync(join(base, 'edgert-outbox-bench-'))
  let runs = 0
  const open = (): Promise<{ outbox: Outbox }> =>
    Outbox.open({ dir: join(root, `run-${++runs}`), maxBytes: 512 * 1024 * 1024, wallNow: Date.now, now: () => performance.now(), onError: error => console.error(error.message) })

  /** Appends `cls` for `seconds`, giving the event loop a turn every 100 appends (as a runtime would). */
  const appendRate = async (cls: OutboxClass): Promise<{ perS: number; outbox: Outbox }> => {
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
    return { perS: records / ((performance.now() - startMs) / 1000), outbox }
  }

  try {
    const telemetry = await appendRate('telemetry')
    const drainStartMs = performance.now()
    let drained = 0
    for (let batch = telemetry.outbox.take(20); batch.length > 0; batch = telemetry.outbox.take(20)) {
      for (const entry of batch) telemetry.outbox.ack(entry.id)
      drained += batch.length
    }
    const drainPerS = drained / ((performance.now() - drainStartMs) / 1000)
    await telemetry.outbox.close()

    const alarms = await appendRate('alarm')
    await alarms.outbox.close()

    const backlog = await open()
    for (let n = 0; n < BACKLOG; n++) backlog.outbox.append(n % 10 === 0 ? 'state' : 'telemetry', 'devices/pi-01/telemetry', PAYLOAD)
    await backlog.outbox.close()
    const openStartMs = performance.now()
    const reopened = await Outbox.open({ dir: join(root, `run-${runs}`), maxBytes: 512 * 1024 * 1024, wallNow: Date.now, now: () => performance.now() })
    const openMs = performance.now() - openStartMs
    await reopened.outbox.close()
    return { dir: base, payloadBytes: PAYLOAD.length, seconds, telemetryAppendPerS: telemetry.perS, drainPerS, drained, alarmAppendPerS: alarms.perS, openMs, openRecords: BACKLOG, openMegabytes: reopened.report.bytes / 1e6 }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

/** The rows the command line prints (and bench/run.ts's `micro` section). */
export function formatOutboxAppend(r: OutboxAppendResult): string[] {
  const rows: [string, string][] = [
    ['telemetry append (group fsync)', `${Math.round(r.telemetryAppendPerS).toLocaleString('en')} /s (${(1e6 / r.telemetryAppendPerS).toFixed(2)} µs each)`],
    ['take(20) + ack, backlog drain', `${Math.round(r.drainPerS).toLocaleString('en')} /s (${r.drained.toLocaleString('en')} entries)`],
    ['alarm append (fsync each)', `${Math.round(r.alarmAppendPerS).toLocaleString('en')} /s (${(1e3 / r.alarmAppendPerS).toFixed(2)} ms each)`],
    [`open() with ${r.openRecords.toLocaleString('en')} pending`, `${r.openMs.toFixed(0)} ms (${((r.openMs * 10_000) / r.openRecords).toFixed(1)} ms per 10,000 records, ${r.openMegabytes.toFixed(1)} MB)`],
  ]
  const width = Math.max(...rows.map(([name]) => name.length))
  return [`outbox on ${r.dir}, ${r.payloadBytes}-byte payloads, ${r.seconds} s per rate`, ...rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`)]
}

/** micro.outbox.…: rates, higher is better; no target or baseline (the disk decides). */
export function outboxMeasures(r: OutboxAppendResult): Record<string, Measure> {
  const m = (value: number, unit: string): Measure => ({ value, unit, baseline: null, ratio: null })
  return {
    'micro.outbox.telemetry-append': m(Math.round(r.telemetryAppendPerS), `appends/s (group fsync, ${r.payloadBytes}-byte payloads)`),
    'micro.outbox.telemetry-append-each': m(round(1e6 / r.telemetryAppendPerS, 2), 'us per append'),
    'micro.outbox.alarm-append': m(Math.round(r.alarmAppendPerS), 'appends/s (fsync each)'),
    'micro.outbox.alarm-append-each': m(round(1e3 / r.alarmAppendPerS, 2), 'ms per append'),
    'micro.outbox.drain': m(Math.round(r.drainPerS), 'entries/s (take(20) + ack)'),
    'micro.outbox.open-per-10k': m(round((r.openMs * 10_000) / r.openRecords, 1), `ms per 10,000 pending records (open() of ${r.openRecords.toLocaleString('en')})`),
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' }, dir: { type: 'string' } } })
  const result = await runOutboxAppendBench({ seconds: Number(values.seconds), ...(values.dir === undefined ? {} : { dir: values.dir }) })
  for (const line of formatOutboxAppend(result)) console.log(line)
}
