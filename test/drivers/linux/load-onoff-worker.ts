// Runs in a worker thread (onoff-loader.test.ts): loads onoff through the adapter's loader.
import { parentPort } from 'node:worker_threads'
import { loadOnoff } from '../../../drivers/linux/onoff-loader.ts'

const onoff = await loadOnoff()
parentPort?.postMessage({ gpio: typeof onoff.Gpio, accessible: onoff.Gpio.accessible })
