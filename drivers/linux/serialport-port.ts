import { readEndOfFileAsDisconnect } from './eof-safe-read.ts'
import { openError } from './serialport-errors.ts'

/** What the adapter gives serialport's constructor. `autoOpen: false`: the adapter opens, so it sees the error. */
export interface PortOptions {
  readonly path: string
  readonly baudRate: number
  readonly autoOpen: false
  readonly highWaterMark: number
}

/**
 * The part of serialport's SerialPortStream (v13, @serialport/stream) the adapter uses. SerialPort
 * and SerialPortMock both are one, so a test can hand in the mock.
 */
export interface PortStream {
  readonly isOpen: boolean
  /** The binding's port object, once open. */
  readonly port?: unknown
  open(callback: (error: Error | null) => void): void
  write(data: Buffer, callback: (error: Error | null | undefined) => void): boolean
  drain(callback: (error: Error | null) => void): void
  close(callback: (error: Error | null) => void): void
  on(event: 'data', listener: (chunk: Buffer) => void): this
  on(event: 'error' | 'close', listener: (error?: Error | null) => void): this
}

export type PortFactory = (options: PortOptions) => PortStream

/**
 * Builds a port and opens it; rejects with the HalError openError() maps serialport's error to.
 * Nothing reads from the port before the caller attaches its data listener, so the binding's
 * read can still be replaced here (eof-safe-read.ts).
 */
export function openPort(createPort: PortFactory, options: PortOptions): Promise<PortStream> {
  return new Promise<PortStream>((resolve, reject) => {
    const port = createPort(options)
    port.open(error => {
      if (error) reject(openError(options.path, error))
      else {
        readEndOfFileAsDisconnect(port.port)
        resolve(port)
      }
    })
  })
}
