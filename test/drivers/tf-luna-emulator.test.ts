import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SimTfLuna } from '../../drivers/sim/chips/sim-tf-luna.ts'
import { createSimSerialPair } from '../../drivers/sim/sim-serial.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'

/** The emulator at the far end, a raw byte log at the near end: no driver involved. */
function wired() {
  const clock = new VirtualClock()
  const [host, far] = createSimSerialPair(clock)
  const sensor = new SimTfLuna(far, clock)
  const received: number[] = []
  host.onData(chunk => received.push(...chunk))
  const power = new AbortController()
  const running = sensor.run(power.signal)
  return {
    clock,
    sensor,
    received,
    send: async (...bytes: number[]) => {
      await host.write(Uint8Array.from(bytes))
      await clock.settle()
    },
    off: async () => {
      power.abort()
      await running
    },
  }
}

const hex = (bytes: readonly number[]): string => bytes.map(byte => byte.toString(16).padStart(2, '0')).join(' ')

describe('SimTfLuna', () => {
  it('sends the manual\'s 9-byte/cm frame for what it is told it sees', async () => {
    const w = wired()
    await w.clock.settle()
    w.sensor.setDistance(1.23)
    w.sensor.setSignal(1000)
    w.sensor.setTemperature(40)
    w.received.length = 0
    await w.clock.advance(10)
    // Hand-assembled from A05 Appendix I.1 (see tf-luna-frame-parser.test.ts): 123 cm, Amp 1000,
    // Temp (40 + 256) · 8 = 2368, checksum 609 mod 256 = 0x61.
    assert.equal(hex(w.received.slice(0, 9)), '59 59 7b 00 e8 03 40 09 61')
    await w.off()
  })

  it('sends 100 frames a second by default (A05 Appendix II.3), on the clock', async () => {
    const w = wired()
    await w.clock.advance(995)
    assert.equal(w.received.length, 100 * 9)
    await w.off()
  })

  it('answers the manual\'s version request [5A 04 01 00] with 112, 50, 9 (version 9.50.112)', async () => {
    const w = wired()
    await w.off()
    w.received.length = 0
    await w.send(0x5a, 0x04, 0x01, 0x00)
    assert.equal(hex(w.received), '5a 07 01 70 32 09 0d') // 90+7+1+112+50+9 = 269 → 0x0D
  })

  it('echoes a frame rate command ("10Hz [5A 06 03 0A 00 00]") and then streams at that rate', async () => {
    const w = wired()
    await w.clock.advance(5)
    await w.send(0x5a, 0x06, 0x03, 0x0a, 0x00, 0x00)
    assert.equal(w.sensor.frameRateHz, 10)
    const echo = w.received.slice(-6)
    assert.equal(hex(echo), '5a 06 03 0a 00 6d') // 90+6+3+10 = 109 → 0x6D
    w.received.length = 0
    await w.clock.advance(1000)
    assert.equal(w.received.length / 9, 10)
    await w.off()
  })

  it('stops and restarts its output on "Disable output [5A 05 07 00 00]" and "Enable output [5A 05 07 01 00]"', async () => {
    const w = wired()
    await w.send(0x5a, 0x05, 0x07, 0x00, 0x00)
    w.received.length = 0
    await w.clock.advance(100)
    assert.deepEqual(w.received, [])
    await w.send(0x5a, 0x05, 0x07, 0x01, 0x00)
    await w.clock.advance(100)
    assert.ok(w.received.length >= 5 + 9 * 9, `${w.received.length} bytes`)
    await w.off()
  })

  it('forgets unsaved settings on soft reset, and keeps saved ones (A05 Appendix II.2, §6.2)', async () => {
    const w = wired()
    await w.send(0x5a, 0x06, 0x03, 0x32, 0x00, 0x00) // 50 Hz
    await w.send(0x5a, 0x04, 0x02, 0x00) // soft reset
    assert.equal(w.sensor.frameRateHz, 100)
    await w.send(0x5a, 0x06, 0x03, 0x32, 0x00, 0x00)
    await w.send(0x5a, 0x04, 0x11, 0x00) // save
    await w.send(0x5a, 0x04, 0x02, 0x00)
    assert.equal(w.sensor.frameRateHz, 50)
    await w.off()
  })

  it('with checksum comparison on (II.8), ignores commands whose checksum is wrong', async () => {
    const w = wired()
    await w.off()
    await w.send(0x5a, 0x05, 0x08, 0x01, 0x68) // 90+5+8+1 = 104 → 0x68
    w.received.length = 0
    await w.send(0x5a, 0x04, 0x01, 0x00)
    assert.deepEqual(w.received, [])
    await w.send(0x5a, 0x04, 0x01, 0x5f) // 90+4+1 = 95 → 0x5F
    assert.equal(w.received.length, 7)
  })

  it('spoils exactly the checksums it is asked to', async () => {
    const w = wired()
    w.sensor.setDistance(1.23)
    w.sensor.setSignal(1000)
    w.sensor.setTemperature(40)
    await w.clock.advance(5)
    w.received.length = 0
    w.sensor.corruptNext(2)
    await w.clock.advance(30)
    const checksums = [8, 17, 26].map(offset => w.received[offset])
    assert.deepEqual(checksums.map(byte => byte === 0x61), [false, false, true])
    await w.off()
  })
})
