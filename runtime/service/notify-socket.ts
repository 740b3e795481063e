import { createRequire } from 'node:module'

/**
 * A datagram socket to systemd's notification socket ($NOTIFY_SOCKET, sd_notify(3)). Node has
 * no Unix datagram sockets in core, so this goes through the `unix-dgram` addon (an optional
 * dependency, built by node-gyp like onoff and i2c-bus). It is loaded only when a service
 * manager asks for notifications, so a desktop run never needs it.
 */
export interface NotifySocket {
  /** Sends one notification datagram (e.g. "WATCHDOG=1"); rejects if the kernel refused it. */
  send(message: string): Promise<void>
  close(): void
}

/** The NOTIFY_SOCKET cannot be used: the message says why and what to do. */
export class NotifySocketError extends Error {
  override readonly name = 'NotifySocketError'
}

/** The part of unix-dgram's API that is used here. */
interface UnixDgramModule {
  createSocket(type: 'unix_dgram'): UnixDgramSocket
}
interface UnixDgramSocket {
  send(buffer: Buffer, offset: number, length: number, path: string, callback: (error?: Error) => void): void
  on(event: 'error', listener: (error: Error) => void): void
  close(): void
}

/** Loads the addon; a missing or unbuilt one is a NotifySocketError that says how to get it. */
export function loadUnixDgram(): UnixDgramModule {
  try {
    return createRequire(import.meta.url)('unix-dgram') as UnixDgramModule
  } catch (error) {
    throw new NotifySocketError(
      `systemd asked for notifications (NOTIFY_SOCKET is set) but the unix-dgram addon could not be loaded (${(error as Error).message.split('\n')[0]}). ` +
        'It is built when edgert is installed and needs make and g++: sudo apt install build-essential, then npm install -g edgert again.',
    )
  }
}

/**
 * Opens a socket that sends to `path`. An abstract socket name ("@…", used inside some
 * containers) is refused: the addon copies the path as a C string, so it cannot address one.
 */
export function openNotifySocket(path: string, addon: UnixDgramModule = loadUnixDgram()): NotifySocket {
  if (path.startsWith('@')) throw new NotifySocketError(`NOTIFY_SOCKET ${path} is an abstract socket name, which the unix-dgram addon cannot address; run the service with a socket path (the default /run/systemd/notify)`)
  if (!path.startsWith('/')) throw new NotifySocketError(`NOTIFY_SOCKET "${path}" is not an absolute socket path`)
  const socket = addon.createSocket('unix_dgram')
  // Without a callback the addon reports failures as 'error' events; every send has a callback, this only keeps a stray one from crashing the process.
  socket.on('error', () => undefined)
  return {
    send: message =>
      new Promise((resolve, reject) => {
        const buffer = Buffer.from(message, 'utf8')
        socket.send(buffer, 0, buffer.length, path, error => (error === undefined ? resolve() : reject(new NotifySocketError(`notify ${path}: ${error.message}`))))
      }),
    close: () => socket.close(),
  }
}
