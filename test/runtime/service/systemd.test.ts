import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { NotifySocketError, openNotifySocket } from '../../../runtime/service/notify-socket.ts'
import { serviceEnvironment, SystemdNotifier } from '../../../runtime/service/systemd.ts'
import { tempDir } from '../../helpers/temp-files.ts'

/** A stand-in for systemd's notify socket: a bound Unix datagram socket that keeps what it gets. */
function fakeSystemd(path: string): { messages: string[]; next: () => Promise<string>; close: () => void } {
  const unix = createRequire(import.meta.url)('unix-dgram') as { createSocket(type: string, listener: (buffer: Buffer) => void): { bind(path: string): void; close(): void } }
  const messages: string[] = []
  const waiters: ((message: string) => void)[] = []
  const socket = unix.createSocket('unix_dgram', buffer => {
    const message = buffer.toString('utf8')
    const waiter = waiters.shift()
    if (waiter === undefined) messages.push(message)
    else waiter(message)
  })
  socket.bind(path)
  return {
    messages,
    next: () => (messages.length > 0 ? Promise.resolve(messages.shift()!) : new Promise(resolve => waiters.push(resolve))),
    close: () => socket.close(),
  }
}

describe('serviceEnvironment', () => {
  it('reads NOTIFY_SOCKET and WATCHDOG_USEC, and the watchdog only when it is meant for this process', () => {
    assert.deepEqual(serviceEnvironment({}, 10), { notifySocket: null, watchdogMs: null })
    assert.deepEqual(serviceEnvironment({ NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '10000000' }, 10), { notifySocket: '/run/systemd/notify', watchdogMs: 10_000 })
    assert.equal(serviceEnvironment({ NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '10000000', WATCHDOG_PID: '10' }, 10).watchdogMs, 10_000)
    assert.equal(serviceEnvironment({ NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '10000000', WATCHDOG_PID: '11' }, 10).watchdogMs, null, 'for a child we started')
    assert.equal(serviceEnvironment({ NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: 'ten' }, 10).watchdogMs, null)
    assert.equal(serviceEnvironment({ WATCHDOG_USEC: '10000000' }, 10).watchdogMs, null, 'no socket to ping')
  })
})

describe('SystemdNotifier over a real Unix datagram socket', () => {
  it('sends READY with a one-line STATUS, WATCHDOG=1 and STOPPING as sd_notify(3) datagrams', async () => {
    const path = join(tempDir().dir, 'notify')
    const systemd = fakeSystemd(path)
    const notifier = new SystemdNotifier(openNotifySocket(path))
    try {
      await notifier.ready('running 3 tasks\non sim')
      assert.equal(await systemd.next(), `READY=1\nSTATUS=running 3 tasks on sim\nMAINPID=${process.pid}`)
      await notifier.watchdog()
      assert.equal(await systemd.next(), 'WATCHDOG=1')
      await notifier.status('UNHEALTHY: lidar: missed 9 of 500 deadline(s)')
      assert.equal(await systemd.next(), 'STATUS=UNHEALTHY: lidar: missed 9 of 500 deadline(s)')
      await notifier.stopping('stopping')
      assert.equal(await systemd.next(), 'STOPPING=1\nSTATUS=stopping')
    } finally {
      notifier.close()
      systemd.close()
    }
  })

  it('a socket nobody listens on rejects with the path named; an abstract or relative name is refused up front', async () => {
    const notifier = new SystemdNotifier(openNotifySocket(join(tempDir().dir, 'nobody')))
    await assert.rejects(notifier.watchdog(), (error: Error) => error instanceof NotifySocketError && /notify .*nobody/.test(error.message))
    notifier.close()
    assert.throws(() => openNotifySocket('@/org/freedesktop/systemd1/notify'), /abstract socket name/)
    assert.throws(() => openNotifySocket('run/notify'), /not an absolute socket path/)
  })
})
