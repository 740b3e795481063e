import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { HalError } from '../../drivers/hal/errors.ts'
import { i2cDevice, readRegisters } from '../../drivers/hal/i2c.ts'
import { DEFAULT_CONFIG, type Max30102Config } from '../../drivers/sensors/max30102/config.ts'
import { Max30102, type Max30102Reading } from '../../drivers/sensors/max30102/index.ts'
import { SimMax30102 } from '../../drivers/sim/chips/sim-max30102.ts'
import type { SyntheticPpgOptions } from '../../drivers/sim/chips/sim-max30102-ppg.ts'
import { RegisterChip } from '../../drivers/sim/register-chip.ts'
import { SimI2cBus } from '../../drivers/sim/sim-i2c-bus.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { assertNear, simI2cSetup } from '../helpers/virtual-time.ts'

const ADDRESS = 0x57
/** Settle (1.5 s) + window (4 s) at the defaults, plus a beat of margin. */
const WARM_UP_MS = 6500

function setUp(changes: Partial<Max30102Config> = {}, simOptions: SyntheticPpgOptions = {}) {
  const rig = simI2cSetup(clock => new SimMax30102(clock, ADDRESS, simOptions), (device, clock) => new Max30102(device, clock, { ...DEFAULT_CONFIG, ...changes }))
  rig.chip.setPatient({ heartRateBpm: 72, spo2Pct: 97, probeOn: true })
  return rig
}

/** Samples every `periodMs` for `durationMs` of virtual time; returns every reading. */
async function run(clock: VirtualClock, driver: Max30102, durationMs: number, periodMs = 100): Promise<Max30102Reading[]> {
  const readings: Max30102Reading[] = []
  for (let elapsedMs = 0; elapsedMs < durationMs; elapsedMs += periodMs) {
    await clock.advance(periodMs)
    readings.push(await driver.sample())
  }
  return readings
}

const last = (readings: readonly Max30102Reading[]): Max30102Reading => readings[readings.length - 1]!

describe('MAX30102 driver on the emulator', () => {
  it('warms up, then reads a 72 bpm / 97 % patient within ±3 bpm and ±2 %', async () => {
    const { clock, driver } = setUp()
    await driver.init()
    const readings = await run(clock, driver, 12000)
    assert.ok(readings.slice(0, 50).every(reading => reading.quality === 'fault' && reading.fault === 'warming-up'))
    for (const reading of readings.slice(WARM_UP_MS / 100)) {
      assert.equal(reading.quality, 'good', JSON.stringify(reading))
      assertNear(reading.heartRateBpm, 72, 3, 'heartRateBpm')
      assertNear(reading.spo2Pct, 97, 2, 'spo2Pct')
    }
  })

  it('reports the perfusion index it was given within ±10 %, and raw counts of the newest sample', async () => {
    const { clock, chip, driver } = setUp()
    chip.setPatient({ heartRateBpm: 72, spo2Pct: 97, perfusionPct: 3, probeOn: true })
    await driver.init()
    const reading = last(await run(clock, driver, 8000))
    assertNear(reading.perfusionPct, 3, 0.3, 'perfusionPct')
    // A finger at 7 mA puts the photocurrent at roughly half of the 4096 nA full scale (18 bits).
    assert.ok(reading.irRaw! > 2 ** 16 && reading.irRaw! < 2 ** 18 - 1, `${reading.irRaw}`)
    assert.ok(reading.redRaw! > 2 ** 16 && reading.redRaw! < reading.irRaw!, `${reading.redRaw}`)
  })

  it('drains every sample exactly once across many FIFO pointer wrap-arounds', async () => {
    const { clock, driver } = setUp()
    await driver.init()
    const readings = await run(clock, driver, 10000, 250) // 25 samples per drain, pointers wrap every 32
    assert.equal(readings.reduce((sum, reading) => sum + reading.samplesRead, 0), 1000)
    assert.ok(readings.every(reading => reading.samplesRead === 25 && reading.samplesLost === 0))
    assertNear(last(readings).heartRateBpm, 72, 3, 'heartRateBpm')
  })

  it('reads a full FIFO of 32 samples in one transaction and reports the lost ones as fifo-overflow', async () => {
    const { clock, bus, driver } = setUp()
    await driver.init()
    await clock.advance(500) // 50 samples due, room for 32
    const stop = bus.trace()
    const reading = await driver.sample()
    assert.deepEqual({ quality: reading.quality, fault: reading.fault, read: reading.samplesRead, lost: reading.samplesLost }, { quality: 'fault', fault: 'fifo-overflow', read: 32, lost: 18 })
    assert.deepEqual(stop().slice(1), [{ op: 'writeRead', address: ADDRESS, bytes: [0x07], length: 32 * 6 }])
    await clock.advance(100)
    assert.equal((await driver.sample()).samplesLost, 0)
  })

  it('warms up again after an overflow, then recovers', async () => {
    const { clock, driver } = setUp()
    await driver.init()
    await run(clock, driver, 8000)
    await clock.advance(1000)
    assert.equal((await driver.sample()).fault, 'fifo-overflow')
    const after = await run(clock, driver, 7000)
    assert.equal(after[0]!.fault, 'warming-up')
    assert.equal(last(after).quality, 'good')
  })

  it('reports probe-off when the finger is lifted, and good readings again once it is back', async () => {
    const { clock, chip, driver } = setUp()
    await driver.init()
    await run(clock, driver, 8000)
    chip.setPatient({ heartRateBpm: 72, spo2Pct: 97, probeOn: false })
    const off = last(await run(clock, driver, 1000))
    assert.deepEqual({ quality: off.quality, fault: off.fault, heartRateBpm: off.heartRateBpm }, { quality: 'fault', fault: 'probe-off', heartRateBpm: undefined })
    assert.ok(off.irRaw! < 0.05 * 2 ** 18)
    chip.setPatient({ heartRateBpm: 72, spo2Pct: 97, probeOn: true })
    const on = await run(clock, driver, WARM_UP_MS)
    assert.equal(on[0]!.fault, 'warming-up')
    assertNear(last(on).heartRateBpm, 72, 3, 'heartRateBpm')
    assert.equal(last(on).quality, 'good')
  })

  it('follows a sudden desaturation from 97 % to 85 % within the window length', async () => {
    const { clock, chip, driver } = setUp()
    await driver.init()
    assertNear(last(await run(clock, driver, 8000)).spo2Pct, 97, 2, 'spo2Pct')
    chip.setPatient({ heartRateBpm: 72, spo2Pct: 85, probeOn: true })
    const after = await run(clock, driver, DEFAULT_CONFIG.windowMs + 500)
    assert.equal(last(after).quality, 'good')
    assertNear(last(after).spo2Pct, 85, 2, 'spo2Pct')
  })

  it('follows tachycardia from 72 to 140 bpm within the window length', async () => {
    const { clock, chip, driver } = setUp()
    await driver.init()
    await run(clock, driver, 8000)
    chip.setPatient({ heartRateBpm: 140, spo2Pct: 97, probeOn: true })
    const after = await run(clock, driver, DEFAULT_CONFIG.windowMs + 500)
    assert.equal(last(after).quality, 'good')
    assertNear(last(after).heartRateBpm, 140, 3, 'heartRateBpm')
  })

  it('keeps within ±3 bpm and ±2 % with respiratory baseline wander', async () => {
    const { clock, driver } = setUp({}, { respirationRatePerMin: 15, seed: 7 })
    await driver.init()
    for (const reading of (await run(clock, driver, 14000)).slice(WARM_UP_MS / 100)) {
      assertNear(reading.heartRateBpm, 72, 3, `heartRateBpm in ${JSON.stringify(reading)}`)
      assertNear(reading.spo2Pct, 97, 2, `spo2Pct in ${JSON.stringify(reading)}`)
    }
  })

  it('works with on-chip averaging (400 sps averaged 4×)', async () => {
    const { clock, driver } = setUp({ sampleRateSps: 400, sampleAveraging: 4, pulseWidthUs: 215 })
    await driver.init()
    const reading = last(await run(clock, driver, 8000))
    assert.equal(reading.samplesRead, 10)
    assertNear(reading.heartRateBpm, 72, 3, `heartRateBpm in ${JSON.stringify(reading)}`)
    assertNear(reading.spo2Pct, 97, 2, `spo2Pct in ${JSON.stringify(reading)}`)
  })

  it('runs on the red LED alone in heart-rate mode: 3 bytes per sample, no SpO2, no IR', async () => {
    const { clock, bus, driver } = setUp({ mode: 'heart-rate' })
    const stopInit = bus.trace()
    await driver.init()
    assert.ok(stopInit().some(t => t.op === 'write' && t.bytes[0] === 0x0c && t.bytes[2] === 0), 'IR LED off')
    const stop = bus.trace()
    const reading = last(await run(clock, driver, 8000))
    assert.ok(stop().every(t => t.op !== 'writeRead' || t.bytes[0] !== 0x07 || t.length === 30))
    assert.equal(reading.quality, 'good')
    assertNear(reading.heartRateBpm, 72, 3, 'heartRateBpm')
    assert.equal(reading.spo2Pct, undefined)
    assert.equal(reading.irRaw, undefined)
  })

  it('shuts the chip down on close(): SHDN set and the FIFO stops filling', async () => {
    const { clock, bus, driver } = setUp()
    await driver.init()
    await driver.close()
    await clock.advance(1000)
    const [mode] = await readRegisters(i2cDevice(bus, ADDRESS), 0x09, 1)
    const [writePointer] = await readRegisters(i2cDevice(bus, ADDRESS), 0x04, 1)
    assert.equal(mode! & 0x80, 0x80)
    assert.equal(writePointer, 0)
  })
})

describe('SimMax30102 registers', () => {
  it('answers PART_ID 0x15 and, in SpO2 mode with nobody reading, fills to 32, sets A_FULL and saturates OVF_COUNTER at 0x1F', async () => {
    const clock = new VirtualClock()
    const bus = new SimI2cBus(clock).attach(new SimMax30102(clock))
    const device = i2cDevice(bus, ADDRESS)
    assert.deepEqual([...(await readRegisters(device, 0xff, 1))], [0x15])
    await device.write(Uint8Array.of(0x0a, 0x27)) // 100 sps, 411 µs, 4096 nA
    await device.write(Uint8Array.of(0x09, 0x03)) // SpO2 mode
    await clock.advance(310)
    assert.deepEqual([...(await readRegisters(device, 0x04, 3))], [31, 0, 0]) // 31 samples, nothing lost
    await clock.advance(1000)
    const [status1, , , , writePointer, overflow, readPointer] = await readRegisters(device, 0x00, 7)
    assert.deepEqual({ aFull: status1! & 0x80, writePointer, overflow, readPointer }, { aFull: 0x80, writePointer: 0, overflow: 0x1f, readPointer: 0 })
    await readRegisters(device, 0x07, 6) // popping one sample clears OVF_COUNTER and moves FIFO_RD_PTR
    assert.deepEqual([...(await readRegisters(device, 0x05, 2))], [0, 1])
  })

  it('overwrites the oldest sample when FIFO_ROLLOVER_EN is set, moving the read pointer with the write pointer', async () => {
    const clock = new VirtualClock()
    const bus = new SimI2cBus(clock).attach(new SimMax30102(clock))
    const device = i2cDevice(bus, ADDRESS)
    await device.write(Uint8Array.of(0x08, 0x10)) // FIFO_ROLLOVER_EN
    await device.write(Uint8Array.of(0x0a, 0x27))
    await device.write(Uint8Array.of(0x09, 0x03))
    await clock.advance(400) // 40 samples into 32 slots
    assert.deepEqual([...(await readRegisters(device, 0x04, 3))], [8, 8, 8])
  })
})

describe('MAX30102 driver errors', () => {
  /** A MAX30100 at the same address: PART_ID 0x11. */
  class SimMax30100 extends RegisterChip {
    constructor() {
      super(ADDRESS)
      this.registers[0xff] = 0x11
    }
  }

  it('rejects with DriverError kind identity when PART_ID is not 0x15, and configures nothing', async () => {
    const clock = new VirtualClock()
    const bus = new SimI2cBus(clock).attach(new SimMax30100())
    const stop = bus.trace()
    await assert.rejects(new Max30102(i2cDevice(bus, ADDRESS), clock).init(), { name: 'DriverError', kind: 'identity', message: /0x11/ })
    assert.deepEqual(stop(), [{ op: 'writeRead', address: ADDRESS, bytes: [0xfe], length: 2 }])
  })

  it('rejects init with DriverError kind io, cause the HalError, when the chip does not answer', async () => {
    const { bus, driver } = setUp()
    bus.injectFaults(ADDRESS, 'nack')
    const error: unknown = await driver.init().then(() => undefined, (caught: unknown) => caught)
    assert.ok(error instanceof Error && error.name === 'DriverError')
    assert.equal((error as { kind?: string }).kind, 'io')
    assert.ok(error.cause instanceof HalError && error.cause.kind === 'nack')
  })

  it('rejects a sample with kind io on a nack, and the next sample recovers with no data lost', async () => {
    const { clock, bus, driver } = setUp()
    await driver.init()
    await run(clock, driver, 8000)
    await clock.advance(100)
    bus.injectFaults(ADDRESS, 'nack')
    await assert.rejects(driver.sample(), (error: unknown) => error instanceof Error && error.name === 'DriverError' && error.cause instanceof HalError && error.cause.kind === 'nack')
    await clock.advance(100)
    const reading = await driver.sample()
    assert.equal(reading.samplesRead, 20)
    assert.equal(reading.quality, 'good')
  })

  it('rejects with DriverError kind usage when sampled before init()', async () => {
    const { driver } = setUp()
    await assert.rejects(driver.sample(), { name: 'DriverError', kind: 'usage' })
  })

  it('rejects init with kind usage, before any bus traffic, for a pulse too long for the sample rate', async () => {
    const { bus, driver } = setUp({ sampleRateSps: 800, pulseWidthUs: 411 })
    const stop = bus.trace()
    await assert.rejects(driver.init(), { name: 'DriverError', kind: 'usage', message: /sampleRateSps/ })
    assert.deepEqual(stop(), [])
  })

  it('rejects a sample whose signal is already aborted, touching nothing', async () => {
    const { bus, driver } = setUp()
    await driver.init()
    const stop = bus.trace()
    await assert.rejects(driver.sample(AbortSignal.abort(new Error('stop'))), { message: 'stop' })
    assert.deepEqual(stop(), [])
  })
})
