import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { DriverError } from '../../drivers/sensors/sensor.ts'
import { TfLuna, tfLuna, tfLunaSettings, type TfLunaSettings } from '../../drivers/sensors/tf-luna/index.ts'
import { SimTfLuna } from '../../drivers/sim/chips/sim-tf-luna.ts'
import { createSimSerialPair } from '../../drivers/sim/sim-serial.ts'
import { VirtualClock } from '../../runtime/virtual-clock.ts'
import { settleWithin } from '../helpers/virtual-time.ts'

/** A TF-Luna emulator on one end of a simulated cable and the driver on the other, in virtual time. */
function bench(settings: Partial<TfLunaSettings> = {}) {
  const clock = new VirtualClock()
  const [host, far] = createSimSerialPair(clock, ['sim:host', 'sim:tf-luna'])
  const sensor = new SimTfLuna(far, clock)
  const driver = new TfLuna(host, clock, tfLunaSettings.parse(settings))
  let power = new AbortController()
  let running = sensor.run(power.signal)
  return {
    clock,
    host,
    sensor,
    driver,
    async unplugSensor(): Promise<void> {
      power.abort()
      await running
    },
    replugSensor(): void {
      power = new AbortController()
      running = sensor.run(power.signal)
    },
    async end(): Promise<void> {
      power.abort()
      await running
      await driver.close()
    },
  }
}

async function started(settings: Partial<TfLunaSettings> = {}) {
  const b = bench(settings)
  await settleWithin(b.clock, b.driver.init(), 5)
  return b
}

/** How much virtual time passes until `sampling` rejects with kind timeout. */
async function msUntilTimeout(clock: VirtualClock, sampling: Promise<unknown>): Promise<number> {
  const calledAtMs = clock.now()
  let rejectedAtMs = Number.NaN
  const outcome = sampling.then(
    () => assert.fail('resolved'),
    (error: DriverError) => {
      rejectedAtMs = clock.now()
      kindOf('timeout')(error)
    },
  )
  await clock.advance(100)
  await outcome
  return rejectedAtMs - calledAtMs
}

const kindOf = (kind: string) => (error: DriverError) => {
  assert.equal(error.name, 'DriverError')
  assert.equal(error.kind, kind, error.message)
  return true
}

describe('TfLuna with the emulator on a simulated line', () => {
  it('init reads the version as the manual encodes it (112, 50, 9 is 9.50.112), sets the frame rate and turns output on', async () => {
    const b = bench({ frameRateHz: 50 })
    await settleWithin(b.clock, b.driver.init(), 5)
    assert.equal(b.driver.firmwareVersion, '9.50.112')
    assert.equal(b.sensor.frameRateHz, 50)
    assert.equal(b.sensor.outputEnabled, true)
    assert.deepEqual(b.sensor.commandLog, [0x01, 0x03, 0x07], 'version, frame rate, output on; never save (it writes flash)')
    await b.end()
  })

  it('returns the distance set on the emulator to the cm, with signal strength and chip temperature', async () => {
    const b = await started()
    for (const distanceM of [0.2, 0.9, 1.23, 3.5, 7.99, 8]) {
      b.sensor.setDistance(distanceM)
      b.sensor.setSignal(2500)
      b.sensor.setTemperature(42.5)
      await b.clock.advance(10)
      const reading = await settleWithin(b.clock, b.driver.sample(), 10)
      assert.equal(Math.round(reading.distanceM * 100), Math.round(distanceM * 100), `at ${distanceM} m`)
      assert.deepEqual({ quality: reading.quality, signalStrength: reading.signalStrength, temperatureC: reading.temperatureC }, { quality: 'good', signalStrength: 2500, temperatureC: 42.5 })
    }
    await b.end()
  })

  it('returns the newest frame received since the previous sample, stamped when it arrived', async () => {
    const b = await started()
    b.sensor.setDistance(1)
    await b.clock.advance(20)
    b.sensor.setDistance(2)
    await b.clock.advance(10)
    const nowMs = b.clock.now()
    const reading = await settleWithin(b.clock, b.driver.sample(), 0)
    assert.equal(reading.distanceM, 2)
    assert.ok(reading.atMs <= nowMs && reading.atMs > nowMs - 10, `atMs ${reading.atMs} at ${nowMs}`)
    await b.end()
  })

  it('waits for the next frame when nothing new came since the previous sample', async () => {
    const b = await started()
    await b.clock.advance(10)
    const first = await settleWithin(b.clock, b.driver.sample(), 0)
    const second = await settleWithin(b.clock, b.driver.sample(), 10)
    assert.ok(second.atMs > first.atMs, `${second.atMs} after ${first.atMs}`)
    await b.end()
  })

  it('rejects with timeout after maxFrameAgeMs (3 frame periods) when the sensor stops, and recovers when it resumes', async () => {
    const b = await started({ frameRateHz: 100 })
    await b.unplugSensor()
    await b.clock.advance(100)
    assert.equal(await msUntilTimeout(b.clock, b.driver.sample()), 30)
    b.replugSensor()
    const reading = await settleWithin(b.clock, b.driver.sample(), 10)
    assert.equal(reading.quality, 'good')
    await b.end()
  })

  it('does not return a frame older than maxFrameAgeMs, even if it is new since the previous sample', async () => {
    const b = await started({ frameRateHz: 100, maxFrameAgeMs: 25 })
    await b.clock.advance(10)
    await settleWithin(b.clock, b.driver.sample(), 0)
    await b.clock.advance(10)
    await b.unplugSensor()
    await b.clock.advance(100)
    await assert.rejects(settleWithin(b.clock, b.driver.sample(), 30), kindOf('timeout'))
    await b.end()
  })

  it('reports a weak signal as quality fault signal-low (the part then sends 0 cm), and recovers', async () => {
    const b = await started()
    b.sensor.setDistance(3)
    b.sensor.setSignal(60)
    await b.clock.advance(10)
    const weak = await settleWithin(b.clock, b.driver.sample(), 0)
    assert.deepEqual({ quality: weak.quality, fault: weak.fault, distanceM: weak.distanceM, signalStrength: weak.signalStrength }, { quality: 'fault', fault: 'signal-low', distanceM: 0, signalStrength: 60 })
    b.sensor.setSignal(900)
    await b.clock.advance(10)
    const recovered = await settleWithin(b.clock, b.driver.sample(), 0)
    assert.deepEqual({ quality: recovered.quality, fault: recovered.fault, distanceM: recovered.distanceM }, { quality: 'good', fault: undefined, distanceM: 3 })
    await b.end()
  })

  it('reports Amp 0xFFFF as quality fault overexposed', async () => {
    const b = await started()
    b.sensor.setSignal(0xffff)
    await b.clock.advance(10)
    const reading = await settleWithin(b.clock, b.driver.sample(), 0)
    assert.deepEqual({ quality: reading.quality, fault: reading.fault }, { quality: 'fault', fault: 'overexposed' })
    await b.end()
  })

  it('counts bad checksums, rejects with data when only bad frames came, and recovers after them', async () => {
    const b = await started({ frameRateHz: 100 })
    await b.clock.advance(10)
    await settleWithin(b.clock, b.driver.sample(), 0)
    b.sensor.corruptNext(8)
    await assert.rejects(settleWithin(b.clock, b.driver.sample(), 30), kindOf('data'))
    await b.clock.advance(100)
    const reading = await settleWithin(b.clock, b.driver.sample(), 0)
    assert.equal(reading.quality, 'good')
    assert.equal(b.driver.checksumFailures, 8)
    await b.end()
  })

  it('returns a good frame that follows a bad one', async () => {
    const b = await started()
    await b.clock.advance(10)
    await settleWithin(b.clock, b.driver.sample(), 0)
    b.sensor.corruptNext(1)
    const reading = await settleWithin(b.clock, b.driver.sample(), 30)
    assert.equal(reading.quality, 'good')
    assert.equal(b.driver.checksumFailures, 1)
    await b.end()
  })

  it('rejects with io, keeping the line\'s HalError as cause, when the line is lost while it waits', async () => {
    const b = await started()
    await b.clock.advance(10)
    await settleWithin(b.clock, b.driver.sample(), 0)
    const sampling = b.driver.sample()
    b.host.disconnect()
    await assert.rejects(settleWithin(b.clock, sampling, 5), (error: DriverError) => {
      kindOf('io')(error)
      assert.deepEqual({ name: (error.cause as Error).name, kind: (error.cause as { kind: string }).kind }, { name: 'HalError', kind: 'bus' })
      return true
    })
    await b.end()
  })

  it('rejects with the signal\'s reason when the sample is aborted', async () => {
    const b = await started()
    await b.clock.advance(10)
    await settleWithin(b.clock, b.driver.sample(), 0)
    const abort = new AbortController()
    const sampling = b.driver.sample(abort.signal)
    abort.abort(new Error('task deadline'))
    await assert.rejects(settleWithin(b.clock, sampling, 1), { message: 'task deadline' })
    await b.end()
  })

  it('rejects init with timeout when nothing answers on the line', async () => {
    const clock = new VirtualClock()
    const [host] = createSimSerialPair(clock)
    const driver = new TfLuna(host, clock)
    const init = assert.rejects(driver.init(), kindOf('timeout'))
    await clock.advance(150)
    await init
  })

  it('rejects sample() before init() with usage', async () => {
    const b = bench()
    await assert.rejects(b.driver.sample(), kindOf('usage'))
    await b.end()
  })

  it('takes a 250 Hz rate, and then waits 12 ms (3 periods) by default', async () => {
    const b = await started({ frameRateHz: 250 })
    assert.equal(b.sensor.frameRateHz, 250)
    await b.unplugSensor()
    await b.clock.advance(50)
    assert.equal(await msUntilTimeout(b.clock, b.driver.sample()), 12)
    await b.end()
  })
})

describe('tfLuna descriptor', () => {
  it('is a 115200 baud serial part with distanceM 0.2..8 m, signalStrength and temperatureC', () => {
    assert.equal(tfLuna.bus, 'serial')
    assert.equal(tfLuna.baudRate, 115200)
    assert.deepEqual(tfLuna.channels.map(channel => channel.name), ['distanceM', 'signalStrength', 'temperatureC'])
    assert.deepEqual([tfLuna.channels[0]!.min, tfLuna.channels[0]!.max], [0.2, 8])
  })

  it('defaults to 100 Hz and refuses rates the part cannot run', () => {
    assert.deepEqual(tfLuna.settings.parse({}), { frameRateHz: 100 })
    for (const frameRateHz of [0, 251, 12.5]) assert.equal(tfLuna.settings.safeParse({ frameRateHz }).success, false, `${frameRateHz} Hz`)
    assert.equal(tfLuna.settings.safeParse({ baud: 9600 }).success, false, 'unknown keys are refused')
  })

  it('refuses a port that is not a serial line', () => {
    const clock = new VirtualClock()
    const pin = { read: async () => 0 as const, watch: () => () => undefined, close: async () => undefined }
    assert.throws(() => tfLuna.create({ bus: 'gpio', pin }, clock, { frameRateHz: 100 }), { name: 'DriverError', kind: 'usage' })
  })
})
