/**
 * The worker side of mqtt-watch.ts: a plain mqtt.js subscriber on its own thread, so that its
 * parsing and stamping neither slow the publisher's event loop nor wait for it. Counts telemetry
 * readings per device and stamps every alarm event on receipt.
 */
import { connectAsync } from 'mqtt'
import { parentPort, workerData } from 'node:worker_threads'
import type { FromWatch, ToWatch, WatchData, WatchedEvent, WatchReport } from './mqtt-watch.ts'

if (parentPort === null) throw new Error('bench/mqtt-watch-worker.ts must run in a worker thread')
const port: NonNullable<typeof parentPort> = parentPort
const data = workerData as WatchData
const send = (message: FromWatch): void => port.postMessage(message)

const readings: Record<string, number> = {}
const batches: Record<string, number> = {}
const events: WatchedEvent[] = []

try {
  const client = await connectAsync(data.url, { clientId: `bench-watch-${process.pid}-${Math.random().toString(36).slice(2, 8)}`, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5_000 })
  // As the link does (runtime/mqtt/connection.ts setNoDelay): our PUBACKs must not wait either.
  ;(client.stream as { setNoDelay?: (noDelay: boolean) => unknown }).setNoDelay?.(true)
  client.on('error', error => send({ type: 'failed', message: error.message }))
  client.on('message', (topic, payload) => {
    // Stamped first: the process-wide monotonic clock (CLOCK_MONOTONIC, as every thread's performance.now()).
    const receivedMonoMs = Number(process.hrtime.bigint()) / 1e6
    const receivedWallMs = performance.timeOrigin + performance.now()
    const levels = topic.split('/')
    const deviceId = levels[1] ?? ''
    if (levels[2] === 'telemetry') {
      const body = JSON.parse(payload.toString()) as { readings?: unknown[] }
      readings[deviceId] = (readings[deviceId] ?? 0) + (body.readings?.length ?? 0)
      batches[deviceId] = (batches[deviceId] ?? 0) + 1
    } else if (levels[2] === 'alarms' && levels[4] === 'events') {
      const body = JSON.parse(payload.toString()) as { seq: number; t: number }
      events.push({ deviceId, seq: body.seq, t: body.t, receivedMonoMs, receivedWallMs })
    }
  })
  // Telemetry at QoS 0 (no PUBACK traffic back to the broker); alarm events at QoS 1, as an alarm consumer would. The filters do not overlap.
  await client.subscribeAsync({ [`${data.prefix}/+/telemetry/+`]: { qos: 0 }, [`${data.prefix}/+/alarms/+/events`]: { qos: 1 } })
  port.on('message', (message: ToWatch) => {
    if (message.type === 'report') {
      const report: WatchReport = { readings: { ...readings }, batches: { ...batches }, events: [...events] }
      send({ type: 'report', requestId: message.requestId, report })
      return
    }
    void client.endAsync(true).finally(() => port.close())
  })
  send({ type: 'ready' })
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) })
}
