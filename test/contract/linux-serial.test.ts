import { test } from 'node:test'
import { openSerialportLine } from '../../drivers/linux/serialport-line.ts'
import { systemClock } from '../../runtime/clock.ts'
import { socatAvailable, startPtyPair } from '../drivers/linux/socat-pty.ts'
import { describeSerialLineContract } from './serial-line.contract.ts'

// The real serialport adapter over two PTYs that socat joins back to back: real binding, real
// file descriptors, real time (each case takes a few ms; "nothing more arrives" is watched 50 ms).
if (socatAvailable()) {
  describeSerialLineContract('serialport over a socat PTY pair', async () => {
    const pty = await startPtyPair()
    const open = (path: string) => openSerialportLine({ path, baudRate: 115200, clock: systemClock })
    const [a, b] = await Promise.all(pty.paths.map(open))
    return { a: a!, b: b!, close: () => pty.stop() }
  }, { quietMs: 50 })
} else if (process.env.CI) {
  test('SerialLine contract over a socat PTY pair needs socat', () => {
    throw new Error('socat is not installed: add socat to APT_PACKAGES in .ci/run')
  })
} else {
  void test.skip('SerialLine contract over a socat PTY pair: install socat to run it (apt-get install socat)')
}
