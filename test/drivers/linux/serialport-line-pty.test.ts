import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, test } from 'node:test'
import type { HalError } from '../../../drivers/hal/errors.ts'
import { openSerialportLine } from '../../../drivers/linux/serialport-line.ts'
import { systemClock } from '../../../runtime/clock.ts'
import { socatAvailable, startPtyPair } from './socat-pty.ts'

// The real binding over socat PTYs, in real time: the error wording the real binding uses, and a
// loss and reconnect (socat ended and restarted at the same symlinked paths, as a USB adapter
// unplugged and plugged back in). Each case is bounded by a few hundred ms.
const open = (path: string, reconnect = { initialMs: 20, maxMs: 40 }) => openSerialportLine({ path, baudRate: 115200, clock: systemClock, reconnect })

if (socatAvailable()) {
  describe('openSerialportLine on the real binding over socat PTYs', () => {
    it('rejects with not-supported, naming the path, when there is no such device node', async () => {
      await assert.rejects(open('/dev/edgert-no-such-tty'), (error: HalError) => {
        assert.equal(error.kind, 'not-supported')
        assert.match(error.message, /^\/dev\/edgert-no-such-tty: no such port/)
        return true
      })
    })

    it('rejects with busy when the port is already open (serialport locks it)', async () => {
      const pty = await startPtyPair()
      const holder = await open(pty.paths[0])
      try {
        await assert.rejects(open(pty.paths[0]), { name: 'HalError', kind: 'busy' })
      } finally {
        await holder.close()
        await pty.stop()
      }
    })

    it('reports the loss when the far side vanishes, then reconnects at the same path and keeps its listeners', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'edgert-pty-'))
      const links = [join(dir, 'ttyA'), join(dir, 'ttyB')] as const
      let pty = await startPtyPair(links)
      const line = await open(links[0])
      try {
        const errors: Error[] = []
        line.onError(error => errors.push(error))
        const received: number[] = []
        line.onData(chunk => received.push(...chunk))

        await pty.stop()
        await until(() => errors.length === 1, 'the loss was not reported')
        assert.equal((errors[0] as HalError).kind, 'bus')

        pty = await startPtyPair(links)
        const far = await open(links[1])
        try {
          await until(async () => {
            await far.write(Uint8Array.of(0x59)).catch(() => undefined)
            return received.length > 0
          }, 'nothing arrived after the reconnect')
          assert.ok(received.every(byte => byte === 0x59))
        } finally {
          await far.close()
        }
      } finally {
        await line.close()
        await pty.stop()
        rmSync(dir, { recursive: true, force: true })
      }
    })
  })
} else if (process.env.CI) {
  test('serialport adapter on the real binding needs socat', () => {
    throw new Error('socat is not installed: add socat to APT_PACKAGES in .ci/run')
  })
} else {
  void test.skip('serialport adapter on the real binding: install socat to run it (apt-get install socat)')
}

/** Polls `done` every 10 ms of real time for at most 2 s. */
async function until(done: () => boolean | Promise<boolean>, failure: string): Promise<void> {
  for (const deadlineMs = performance.now() + 2000; !(await done()); ) {
    if (performance.now() > deadlineMs) assert.fail(failure)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

