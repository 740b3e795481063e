/**
 * The worker side of decision-latency.ts for thread 'rt': boots and measures the runtime in this
 * thread, as the rt thread runs it (runtime/rt-thread/worker.ts), and posts the one result.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { measureDecisionLatency, type DecisionLatencyOptions } from './decision-latency.ts'

const port = parentPort
if (port === null) throw new Error('bench/decision-latency-worker.ts must run in a worker thread')
port.postMessage(await measureDecisionLatency(workerData as DecisionLatencyOptions))
