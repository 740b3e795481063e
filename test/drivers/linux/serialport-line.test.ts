import assert from 'node:assert/strict'
import { afterEach, describe, it } from 'node:test'
// The adapter's own test drives serialport's mock binding, as serialport's own tests do
// (STYLE.md §2); nothing outside drivers/linux/ and its tests touches serialport.
import { SerialPortMock } from 'serialport'
import type { HalError } from '../../../drivers/hal/errors.ts'
import { openErrorKind } from '../../../drivers/linux/serialport-errors.ts'
import { openSerialportLine, type PortOptions } from '../../../drivers/linux/serialport-line.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'

// MockBinding keeps its ports in module state: use SerialPortMock.binding (the instance
// SerialPortMock itself uses; importing @serialport/binding-mock from ESM gets a second copy,
// shared/reference/dependencies.md §3) and reset it after every test.
const mockBinding = SerialPortMock.binding
afterEach(() => mockBinding.reset())

/** A factory that builds SerialPortMocks and remembers each one and when it was built. */
function mockPorts(clock: VirtualClock) {
  const built: { port: SerialPortMock; atMs: number }[] = []
  return {
    built,
    createPort: (options: PortOptions) => {
      const port = new SerialPortMock(options)
      built.push({ port, atMs: clock.now() })
      return port
    },
    /** The adapter unplugged: the device node goes away and the open port fails the way a failed read makes it. */
    unplug(): void {
      mockBinding.reset()
      built.at(-1)!.port._disconnected(Object.assign(new Error('ENXIO: no such device or address, read'), { code: 'ENXIO' }))
    },
  }
}

function collect(line: { onData(listener: (chunk: Uint8Array, atMs: number) => void): () => void }) {
  const received: { bytes: number[]; atMs: number }[] = []
  line.onData((chunk, atMs) => received.push({ bytes: [...chunk], atMs }))
  return received
}

describe('openSerialportLine on SerialPortMock', () => {
  it('rejects with not-supported, naming the path, when there is no such port', async () => {
    const clock = new VirtualClock()
    await assert.rejects(openSerialportLine({ path: '/dev/ttyNONE', baudRate: 115200, clock, createPort: mockPorts(clock).createPort }), (error: HalError) => {
      assert.equal(error.name, 'HalError')
      assert.equal(error.kind, 'not-supported')
      assert.match(error.message, /\/dev\/ttyNONE: no such port/)
      assert.ok(error.cause instanceof Error)
      return true
    })
  })

  it('rejects with busy when another opener holds the port', async () => {
    const clock = new VirtualClock()
    const { createPort } = mockPorts(clock)
    mockBinding.createPort('/dev/ttyHELD')
    const holder = await openSerialportLine({ path: '/dev/ttyHELD', baudRate: 115200, clock, createPort })
    await assert.rejects(openSerialportLine({ path: '/dev/ttyHELD', baudRate: 115200, clock, createPort }), { name: 'HalError', kind: 'busy', message: /\/dev\/ttyHELD: port is in use/ })
    await holder.close()
  })

  it('releases the port on close(), so it can be opened again', async () => {
    const clock = new VirtualClock()
    const { createPort } = mockPorts(clock)
    mockBinding.createPort('/dev/ttyREUSE')
    await (await openSerialportLine({ path: '/dev/ttyREUSE', baudRate: 9600, clock, createPort })).close()
    const again = await openSerialportLine({ path: '/dev/ttyREUSE', baudRate: 9600, clock, createPort })
    await again.close()
  })

  it('passes written bytes to the port and received ones to listeners, stamped with the clock', async () => {
    const clock = new VirtualClock(1234)
    mockBinding.createPort('/dev/ttyECHO', { echo: true })
    const line = await openSerialportLine({ path: '/dev/ttyECHO', baudRate: 115200, clock, createPort: mockPorts(clock).createPort })
    const received = collect(line)
    await line.write(Uint8Array.of(0x5a, 0x04, 0x01, 0x00))
    await clock.settle()
    assert.deepEqual(received, [{ bytes: [0x5a, 0x04, 0x01, 0x00], atMs: 1234 }])
    await line.close()
  })

  it('reports an unplug once, rejects writes with bus meanwhile, and reopens with capped doubling back-off, keeping listeners', async () => {
    const clock = new VirtualClock()
    const ports = mockPorts(clock)
    mockBinding.createPort('/dev/ttyUSB0', { echo: true })
    const line = await openSerialportLine({ path: '/dev/ttyUSB0', baudRate: 115200, clock, reconnect: { initialMs: 100, maxMs: 400 }, createPort: ports.createPort })
    const errors: Error[] = []
    line.onError(error => errors.push(error))
    const received = collect(line)

    ports.unplug()
    await clock.settle()
    assert.equal(errors.length, 1)
    assert.deepEqual({ name: errors[0]!.name, kind: (errors[0] as HalError).kind }, { name: 'HalError', kind: 'bus' })
    assert.match(errors[0]!.message, /\/dev\/ttyUSB0: line lost/)
    await assert.rejects(line.write(Uint8Array.of(1)), { name: 'HalError', kind: 'bus' })

    await clock.advance(1100)
    mockBinding.createPort('/dev/ttyUSB0', { echo: true })
    await clock.advance(400)
    assert.deepEqual(ports.built.map(built => built.atMs), [0, 100, 300, 700, 1100, 1500])

    await line.write(Uint8Array.of(7, 8))
    await clock.settle()
    assert.deepEqual(received.map(r => r.bytes), [[7, 8]])
    assert.equal(errors.length, 1, 'failed reopen attempts are not reported one by one')
    await line.close()
  })

  it('stops reconnecting when closed during the back-off', async () => {
    const clock = new VirtualClock()
    const ports = mockPorts(clock)
    mockBinding.createPort('/dev/ttyUSB1')
    const line = await openSerialportLine({ path: '/dev/ttyUSB1', baudRate: 115200, clock, reconnect: { initialMs: 100, maxMs: 100 }, createPort: ports.createPort })
    ports.unplug()
    await clock.settle()
    await line.close()
    mockBinding.createPort('/dev/ttyUSB1')
    await clock.advance(1000)
    assert.equal(ports.built.length, 1)
    assert.equal(clock.pendingTimers, 0)
    await assert.rejects(line.write(Uint8Array.of(1)), { name: 'HalError', kind: 'closed' })
  })

  it('refuses bad options synchronously', () => {
    const clock = new VirtualClock()
    assert.throws(() => void openSerialportLine({ path: '', baudRate: 115200, clock }), TypeError)
    assert.throws(() => void openSerialportLine({ path: '/dev/x', baudRate: 0, clock }), RangeError)
    assert.throws(() => void openSerialportLine({ path: '/dev/x', baudRate: 9600, clock, reconnect: { initialMs: 500, maxMs: 100 } }), RangeError)
  })
})

describe('openErrorKind', () => {
  // Messages as @serialport/bindings-cpp 13 builds them on Linux (src/serialport_unix.cpp, with
  // glibc's strerror text), and errno-coded errors as Node reports them.
  const cases: readonly [string, unknown, string][] = [
    ['a missing device node', new Error('Error: No such file or directory, cannot open /dev/ttyUSB9'), 'not-supported'],
    ['a port another process has locked', new Error('Error Resource temporarily unavailable Cannot lock port'), 'busy'],
    ['a busy device', new Error('Error: Device or resource busy, cannot open /dev/ttyAMA0'), 'busy'],
    ['ENOENT by code', Object.assign(new Error('open failed'), { code: 'ENOENT' }), 'not-supported'],
    ['EBUSY by code', Object.assign(new Error('open failed'), { code: 'EBUSY' }), 'busy'],
    ['a permission problem', new Error('Error: Permission denied, cannot open /dev/ttyS0'), 'bus'],
    ['something that is not an Error', 'weird', 'bus'],
  ]
  for (const [what, error, kind] of cases) {
    it(`maps ${what} to ${kind}`, () => {
      assert.equal(openErrorKind(error), kind)
    })
  }
})
