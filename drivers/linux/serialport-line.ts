import type { Clock } from '../hal/clock.ts'
import type { SerialLine } from '../hal/serial.ts'
import type { PortFactory, PortOptions } from './serialport-port.ts'
import { SerialportLine, type ReconnectBackoff } from './serialport-reconnecting-line.ts'

export type { PortFactory, PortStream, PortOptions } from './serialport-port.ts'
export type { ReconnectBackoff } from './serialport-reconnecting-line.ts'

export interface SerialportLineOptions {
  /** '/dev/serial0', '/dev/serial/by-id/usb-…' (by-id survives re-enumeration after an unplug). */
  readonly path: string
  readonly baudRate: number
  /** Stamps received chunks and times the reconnect back-off. */
  readonly clock: Clock
  readonly reconnect?: ReconnectBackoff
  /** Builds the (unopened) port. Default: serialport's `SerialPort`, loaded on first use. Tests pass SerialPortMock. */
  readonly createPort?: PortFactory
}

/**
 * Fast enough for a USB adapter to re-enumerate (hundreds of ms), slow enough not to spin while
 * it stays unplugged.
 */
export const DEFAULT_RECONNECT: ReconnectBackoff = { initialMs: 250, maxMs: 5000 }

/**
 * Bytes the adapter holds for consumers, at most: serialport reads into a pool of `highWaterMark`
 * bytes and, with our data listener always attached (flowing mode), hands each read over at once;
 * we pass each chunk to the listeners there and then, or drop it when there are none. Serialport's
 * default is 64 KiB; 4 KiB is a third of a second of a 115200 baud line.
 */
export const READ_BUFFER_BYTES = 4096

/**
 * Opens a SerialLine on a serial port (serialport v13). Rejects with HalError 'not-supported'
 * when there is no such port, 'busy' when another process holds it, else 'bus'; the message
 * names the path and the cause is serialport's error.
 *
 * The SerialLine contract holds, plus: when the port closes without close() having been called
 * (a USB adapter unplugged), every onError listener gets one HalError kind 'bus', writes reject
 * with 'bus' while the port is away, and the port is reopened with back-off until it answers or
 * close() is called; listeners stay registered across the reopen. Failed reopen attempts are not
 * reported one by one.
 */
export function openSerialportLine(options: SerialportLineOptions): Promise<SerialLine> {
  const { path, baudRate, clock, reconnect = DEFAULT_RECONNECT } = options
  if (typeof path !== 'string' || path === '') throw new TypeError(`serial path must be a non-empty string, got ${String(path)}`)
  if (!Number.isInteger(baudRate) || baudRate <= 0) throw new RangeError(`${path}: baudRate must be a positive integer, got ${baudRate}`)
  if (!(reconnect.initialMs > 0 && reconnect.maxMs >= reconnect.initialMs)) {
    throw new RangeError(`${path}: reconnect needs 0 < initialMs <= maxMs, got ${reconnect.initialMs}, ${reconnect.maxMs}`)
  }
  const portOptions: PortOptions = { path, baudRate, autoOpen: false, highWaterMark: READ_BUFFER_BYTES }
  return (async () => {
    const createPort = options.createPort ?? await loadSerialPort()
    const line = new SerialportLine(portOptions, clock, reconnect, createPort)
    await line.start()
    return line
  })()
}

/** serialport is imported here only, lazily: nothing loads the native binding until a real port is opened. */
async function loadSerialPort(): Promise<PortFactory> {
  const { SerialPort } = await import('serialport')
  return options => new SerialPort(options)
}
