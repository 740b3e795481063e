import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SerialLine } from '../../drivers/hal/serial.ts'

/** Two ends of one cable: bytes written on `a` arrive on `b` and the other way round. */
export interface SerialPairUnderTest {
  readonly a: SerialLine
  readonly b: SerialLine
  /** Releases what the pair holds beyond the two lines (a socat process, a clock). */
  close(): Promise<void>
}

export interface SerialLineContractOptions {
  /**
   * How long "nothing more arrives" is watched for, in real ms. 0 (the default) lets queued
   * callbacks and I/O run only; a line over an OS device needs a few tens of ms.
   */
  readonly quietMs?: number
  /** How long a delivery may take before the case fails, real ms (a guard, never waited out when all is well). */
  readonly deliveryTimeoutMs?: number
}

const BURST_BYTES = 64 * 1024

/**
 * The SerialLine contract (drivers/hal/serial.ts), run against one implementation. `open` makes a
 * fresh pair for every case; the case closes the lines and then the pair.
 */
export function describeSerialLineContract(
  name: string,
  open: () => Promise<SerialPairUnderTest>,
  options: SerialLineContractOptions = {},
): void {
  const timing = { quietMs: options.quietMs ?? 0, deliveryTimeoutMs: options.deliveryTimeoutMs ?? 2000 }
  const withPair = (body: (pair: SerialPairUnderTest) => Promise<void>) => async () => {
    const pair = await open()
    try {
      await body(pair)
    } finally {
      await Promise.all([pair.a.close(), pair.b.close()])
      await pair.close()
    }
  }

  void describe(`SerialLine contract: ${name}`, () => {
    it('delivers bytes written on a to b, in order', withPair(async ({ a, b }) => {
      const received = receiver(b, timing)
      for (const chunk of [[1, 2, 3], [4], [5, 6, 7, 8, 9]]) await a.write(Uint8Array.from(chunk))
      assert.deepEqual([...await received.waitFor(9)], [1, 2, 3, 4, 5, 6, 7, 8, 9])
    }))

    it('delivers bytes written on b to a, in order', withPair(async ({ a, b }) => {
      const received = receiver(a, timing)
      await b.write(Uint8Array.of(0x59, 0x59))
      await b.write(Uint8Array.of(0x10, 0x00))
      assert.deepEqual([...await received.waitFor(4)], [0x59, 0x59, 0x10, 0x00])
    }))

    it('passes every byte value through unchanged (no newline or XON/XOFF translation)', withPair(async ({ a, b }) => {
      const received = receiver(b, timing)
      const everyByte = Uint8Array.from({ length: 256 }, (_, value) => value)
      await a.write(everyByte)
      assert.deepEqual(await received.waitFor(256), everyByte)
    }))

    it('loses nothing of a 64 KiB burst in each direction at once', withPair(async ({ a, b }) => {
      const atB = receiver(b, timing)
      const atA = receiver(a, timing)
      const forward = patternBytes(BURST_BYTES, 7)
      const backward = patternBytes(BURST_BYTES, 13)
      await Promise.all([a.write(forward), b.write(backward)])
      assert.ok(equalBytes(await atB.waitFor(BURST_BYTES), forward), 'a → b burst differs')
      assert.ok(equalBytes(await atA.waitFor(BURST_BYTES), backward), 'b → a burst differs')
    }))

    it('resolves a write of no bytes', withPair(async ({ a }) => {
      await a.write(new Uint8Array(0))
    }))

    it('gives every listener every chunk once, stamped with non-decreasing times', withPair(async ({ a, b }) => {
      const first = receiver(b, timing)
      const second = receiver(b, timing)
      await a.write(Uint8Array.of(1, 2, 3, 4))
      await a.write(Uint8Array.of(5, 6))
      assert.deepEqual([...await first.waitFor(6)], [1, 2, 3, 4, 5, 6])
      assert.deepEqual([...await second.waitFor(6)], [1, 2, 3, 4, 5, 6])
      for (const times of [first.timesMs, second.timesMs]) {
        assert.ok(times.every(Number.isFinite), `times ${times.join(', ')}`)
        assert.ok(times.every((atMs, i) => i === 0 || atMs >= times[i - 1]!), `times go backwards: ${times.join(', ')}`)
      }
    }))

    it('stops calling a listener once it is removed, and keeps calling the others', withPair(async ({ a, b }) => {
      const kept = receiver(b, timing)
      const removed = receiver(b, timing)
      await a.write(Uint8Array.of(1))
      await removed.waitFor(1)
      removed.remove()
      await a.write(Uint8Array.of(2))
      assert.deepEqual([...await kept.waitFor(2)], [1, 2])
      await quiet(timing.quietMs)
      assert.deepEqual([...removed.bytes()], [1])
    }))

    it('gives a listener added later only the bytes that arrive after it was added', withPair(async ({ a, b }) => {
      const early = receiver(b, timing)
      await a.write(Uint8Array.of(1, 2))
      await early.waitFor(2)
      const late = receiver(b, timing)
      await a.write(Uint8Array.of(3))
      assert.deepEqual([...await late.waitFor(1)], [3])
      await quiet(timing.quietMs)
      assert.deepEqual([...late.bytes()], [3])
    }))

    it('does not give a listener added inside another listener the chunk being delivered', withPair(async ({ a, b }) => {
      const inner: number[] = []
      let added = false
      b.onData(() => {
        if (added) return
        added = true
        b.onData(chunk => inner.push(...chunk))
      })
      await a.write(Uint8Array.of(1))
      await waitUntil(() => added, timing)
      await quiet(timing.quietMs)
      assert.deepEqual(inner, [], 'the listener added during delivery got that chunk')
      await a.write(Uint8Array.of(2))
      await waitUntil(() => inner.length > 0, timing)
      assert.deepEqual(inner, [2])
    }))

    it('rejects a write after close with HalError kind closed, on either end', withPair(async ({ a, b }) => {
      await a.close()
      await assert.rejects(a.write(Uint8Array.of(1)), { name: 'HalError', kind: 'closed' })
      await b.close()
      await assert.rejects(b.write(Uint8Array.of(1)), { name: 'HalError', kind: 'closed' })
    }))

    it('resolves close() every time it is called, also concurrently', withPair(async ({ a }) => {
      await Promise.all([a.close(), a.close()])
      await a.close()
    }))

    it('calls no data or error listener after close() resolves, even while the far end writes', withPair(async ({ a, b }) => {
      let calledAfterClose = 0
      let closed = false
      b.onData(() => { if (closed) calledAfterClose++ })
      b.onError(() => { if (closed) calledAfterClose++ })
      const inFlight = a.write(patternBytes(4096, 3))
      await b.close()
      closed = true
      await inFlight
      await a.write(Uint8Array.of(1, 2, 3))
      await quiet(timing.quietMs)
      assert.equal(calledAfterClose, 0)
    }))
  })
}

interface Timing {
  readonly quietMs: number
  readonly deliveryTimeoutMs: number
}

/** Collects what a line receives; `waitFor(n)` resolves with the first n bytes once they are there. */
function receiver(line: SerialLine, timing: Timing) {
  const chunks: Uint8Array[] = []
  const timesMs: number[] = []
  let count = 0
  const remove = line.onData((chunk, atMs) => {
    chunks.push(Uint8Array.from(chunk))
    timesMs.push(atMs)
    count += chunk.length
  })
  const bytes = (): Uint8Array => {
    const all = new Uint8Array(count)
    let offset = 0
    for (const chunk of chunks) {
      all.set(chunk, offset)
      offset += chunk.length
    }
    return all
  }
  return {
    timesMs,
    remove,
    bytes,
    async waitFor(length: number): Promise<Uint8Array> {
      await waitUntil(() => count >= length, timing, () => `${count} of ${length} bytes arrived`)
      return bytes().subarray(0, length)
    },
  }
}

/** Polls `done` after each turn of the event loop, failing after the delivery timeout (real time). */
async function waitUntil(done: () => boolean, timing: Timing, describe = () => 'condition not met'): Promise<void> {
  const deadlineMs = performance.now() + timing.deliveryTimeoutMs
  while (!done()) {
    if (performance.now() > deadlineMs) assert.fail(`after ${timing.deliveryTimeoutMs} ms: ${describe()}`)
    await new Promise<void>(resolve => setImmediate(resolve))
  }
}

/** Lets pending deliveries happen: a few event-loop turns, then `quietMs` of real time if asked. */
async function quiet(quietMs: number): Promise<void> {
  for (let turn = 0; turn < 4; turn++) await new Promise<void>(resolve => setImmediate(resolve))
  if (quietMs > 0) await new Promise<void>(resolve => setTimeout(resolve, quietMs))
}

function patternBytes(length: number, stride: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * stride + (i >> 8)) & 0xff)
}

function equalBytes(left: Uint8Array, right: Uint8Array): boolean {
  return left.length === right.length && left.every((value, i) => value === right[i])
}
