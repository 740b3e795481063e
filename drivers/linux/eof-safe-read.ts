import { read } from 'node:fs'
import { promisify } from 'node:util'

const readAsync = promisify(read)

/** The parts of @serialport/bindings-cpp's LinuxPortBinding (v13) the replacement read uses. */
interface LinuxPortBinding {
  fd: number | null
  readonly isOpen: boolean
  readonly poller: { once(event: 'readable', callback: (error: Error | null) => void): unknown }
  read(buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number; buffer: Buffer }>
}

/**
 * Works around serialport/bindings-cpp#162 (open; the fix, PR #164, was closed unmerged):
 * LinuxPortBinding.read() (dist/unix-read.js) answers a zero-byte read by reading again at once,
 * forever. A tty whose far side hung up (a USB adapter unplugged, the master of a PTY closed)
 * reads 0 bytes, so the port spins a CPU, grows memory and never reports the loss. We saw it over
 * socat PTYs: in about half of the runs the loss was never reported.
 *
 * The replacement below is the same read (EAGAIN → wait for the poller, then read again) except
 * that 0 bytes rejects with a disconnect error. SerialPortStream answers any read error that is
 * not `canceled` by closing the port with a DisconnectedError, which the line treats as a loss.
 * A port opened non-blocking (the binding does) with VMIN=1 reads EAGAIN, never 0, when there is
 * simply nothing to read.
 *
 * `port` is SerialPortStream's `port` once open. Bindings without a file descriptor (MockBinding)
 * are left alone.
 */
export function readEndOfFileAsDisconnect(port: unknown): void {
  if (!isLinuxPortBinding(port)) return
  port.read = (buffer, offset, length) => readOrDisconnect(port, buffer, offset, length)
}

function isLinuxPortBinding(port: unknown): port is LinuxPortBinding {
  const candidate = port as Partial<LinuxPortBinding> | null
  return typeof candidate?.fd === 'number' && typeof candidate.poller?.once === 'function' && typeof candidate.read === 'function'
}

async function readOrDisconnect(port: LinuxPortBinding, buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number; buffer: Buffer }> {
  for (;;) {
    if (!port.isOpen || port.fd === null) throw Object.assign(new Error('Port is not open'), { canceled: true })
    const bytesRead = await readAsync(port.fd, buffer, offset, length, null).then(
      result => result.bytesRead,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'EAGAIN' || error.code === 'EWOULDBLOCK' || error.code === 'EINTR') return undefined
        throw error
      },
    )
    if (bytesRead === 0) throw Object.assign(new Error('end of file: the device hung up'), { disconnect: true })
    if (bytesRead !== undefined) return { bytesRead, buffer }
    if (!port.isOpen) throw Object.assign(new Error('Port is not open'), { canceled: true })
    await new Promise<void>((resolve, reject) => port.poller.once('readable', error => (error ? reject(error) : resolve())))
  }
}
