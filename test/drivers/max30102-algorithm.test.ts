import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Biquad } from '../../drivers/sensors/max30102/biquad.ts'
import { PpgEstimator, type PpgEstimatorOptions } from '../../drivers/sensors/max30102/ppg-estimator.ts'
import { buildReading } from '../../drivers/sensors/max30102/reading.ts'

// The signals here are built from textbook definitions, not from the emulator or the driver:
// a PPG channel is DC·(1 − m·sin 2πft) (light falls as blood volume rises), the perfusion index
// is peak-to-trough AC over DC (2m here), and R is (AC_red/DC_red)/(AC_ir/DC_ir), so a red depth
// of R·m gives ratio R. The calibration curve under test is the published SpO2 = 110 − 25·R.

const FS_HZ = 100
const options = (changes: Partial<PpgEstimatorOptions> = {}): PpgEstimatorOptions => ({ sampleRateHz: FS_HZ, windowMs: 4000, channels: 'red-ir', ...changes })

/** Feeds `seconds` of signal, channels as fractions of full scale, sampled at FS_HZ. */
function feed(estimator: PpgEstimator, seconds: number, signal: (tS: number) => readonly [number, number], fromS = 0): void {
  for (let n = 0; n < seconds * FS_HZ; n++) {
    const [red, ir] = signal(fromS + n / FS_HZ)
    estimator.push(red, ir)
  }
}

/** Red and IR at the same pulse rate; IR depth m (PI = 2m·100 %), red depth R·m. */
const sinusoid = (heartRateBpm: number, ratio = 0.5, depth = 0.01) => (tS: number): readonly [number, number] => {
  const pulse = Math.sin((2 * Math.PI * heartRateBpm * tS) / 60)
  return [0.4 * (1 - ratio * depth * pulse), 0.5 * (1 - depth * pulse)]
}

describe('Butterworth biquad (RBJ cookbook, Q = 1/√2)', () => {
  const amplitudeAt = (filter: Biquad, frequencyHz: number, fsHz: number): number => {
    let peak = 0
    for (let n = 0; n < 20 * fsHz; n++) {
      const y = filter.step(Math.sin((2 * Math.PI * frequencyHz * n) / fsHz))
      if (n > 10 * fsHz) peak = Math.max(peak, Math.abs(y))
    }
    return peak
  }

  it('passes its cutoff frequency at 1/√2 of the amplitude (−3 dB), high-pass and low-pass alike', () => {
    assert.ok(Math.abs(amplitudeAt(Biquad.lowPass(8, 100), 8, 100) - Math.SQRT1_2) < 0.01)
    assert.ok(Math.abs(amplitudeAt(Biquad.highPass(0.5, 100), 0.5, 100) - Math.SQRT1_2) < 0.01)
  })

  it('starts from a primed level without a transient: a high-pass gives 0, a low-pass the level itself', () => {
    const high = Biquad.highPass(0.5, 100)
    const low = Biquad.lowPass(8, 100)
    assert.ok(Math.abs(high.prime(0.6)) < 1e-12)
    assert.ok(Math.abs(low.prime(0.6) - 0.6) < 1e-12)
    for (let n = 0; n < 50; n++) {
      assert.ok(Math.abs(high.step(0.6)) < 1e-9)
      assert.ok(Math.abs(low.step(0.6) - 0.6) < 1e-9)
    }
  })

  it('refuses a cutoff at or above half the sample rate', () => {
    assert.throws(() => Biquad.lowPass(50, 100), RangeError)
  })
})

describe('PPG estimator', () => {
  for (const heartRateBpm of [45, 72, 120, 180, 240]) {
    it(`reads a ${heartRateBpm} bpm sinusoid as ${heartRateBpm} ± 2 bpm`, () => {
      const estimator = new PpgEstimator(options())
      feed(estimator, 8, sinusoid(heartRateBpm))
      const estimate = estimator.estimate()
      assert.equal(estimate.state, 'ok')
      assert.ok(Math.abs(estimate.heartRateBpm! - heartRateBpm) <= 2, `${estimate.heartRateBpm}`)
    })
  }

  for (const ratio of [0.5, 0.7, 1.0]) {
    it(`reads a ratio of ratios of ${ratio} as SpO2 110 − 25·${ratio} = ${110 - 25 * ratio} % ± 1 %`, () => {
      const estimator = new PpgEstimator(options())
      feed(estimator, 8, sinusoid(72, ratio))
      const estimate = estimator.estimate()
      assert.equal(estimate.state, 'ok')
      assert.ok(Math.abs(estimate.ratioOfRatios! - ratio) < 0.02, `R ${estimate.ratioOfRatios}`)
      assert.ok(Math.abs(estimate.spo2Pct! - (110 - 25 * ratio)) <= 1, `${estimate.spo2Pct}`)
    })
  }

  it('reports perfusion as peak-to-trough over DC of the IR channel', () => {
    const estimator = new PpgEstimator(options())
    feed(estimator, 8, sinusoid(72, 0.5, 0.01)) // 2 % peak to trough
    assert.ok(Math.abs(estimator.estimate().perfusionPct! - 2) < 0.1)
  })

  it('is warming up until the filters have settled and the window is full', () => {
    const estimator = new PpgEstimator(options())
    feed(estimator, 5, sinusoid(72))
    assert.deepEqual(estimator.estimate(), { state: 'warming-up' })
    feed(estimator, 0.6, sinusoid(72), 5)
    assert.equal(estimator.estimate().state, 'ok')
  })

  it('reports the probe off when the IR level falls under 5 % of full scale, and warms up again after', () => {
    const estimator = new PpgEstimator(options())
    feed(estimator, 8, sinusoid(72))
    feed(estimator, 1, () => [0.01, 0.01])
    assert.deepEqual(estimator.estimate(), { state: 'probe-off' })
    feed(estimator, 1, sinusoid(72))
    assert.equal(estimator.estimate().state, 'warming-up')
    feed(estimator, 6, sinusoid(72), 1)
    assert.equal(estimator.estimate().state, 'ok')
  })

  it('reports a low signal when the pulsation is under 0.4 % of DC, still estimating the rate', () => {
    const estimator = new PpgEstimator(options())
    feed(estimator, 8, sinusoid(72, 0.5, 0.001)) // 0.2 % peak to trough
    const estimate = estimator.estimate()
    assert.equal(estimate.state, 'signal-low')
    assert.ok(Math.abs(estimate.heartRateBpm! - 72) <= 2)
  })

  it('reports a low signal when there is no pulse at all', () => {
    const estimator = new PpgEstimator(options())
    feed(estimator, 8, () => [0.4, 0.5])
    assert.equal(estimator.estimate().state, 'signal-low')
  })

  it('reports a low signal for an irregular rhythm (beats alternately 0.5 s and 1.0 s apart)', () => {
    const beatTimesS: number[] = []
    for (let t = 0.3; t < 9; t += beatTimesS.length % 2 === 0 ? 0.5 : 1.0) beatTimesS.push(t)
    const pulseTrain = (tS: number): readonly [number, number] => {
      let volume = 0
      for (const beatS of beatTimesS) volume += Math.exp(-((tS - beatS) ** 2) / (2 * 0.06 ** 2))
      return [0.4 * (1 - 0.005 * volume), 0.5 * (1 - 0.01 * volume)]
    }
    const estimator = new PpgEstimator(options())
    feed(estimator, 8, pulseTrain)
    assert.equal(estimator.estimate().state, 'signal-low')
  })

  it('follows a change of rate within one window length', () => {
    const estimator = new PpgEstimator(options())
    feed(estimator, 8, sinusoid(72))
    // Continue the phase: the new rate starts where the old one left off.
    feed(estimator, 5, tS => sinusoid(140)(tS + (8 * 72) / 140 - 8), 8)
    const estimate = estimator.estimate()
    assert.equal(estimate.state, 'ok')
    assert.ok(Math.abs(estimate.heartRateBpm! - 140) <= 2, `${estimate.heartRateBpm}`)
  })

  it('uses the red channel and gives no SpO2 in heart-rate mode', () => {
    const estimator = new PpgEstimator(options({ channels: 'red' }))
    feed(estimator, 8, tS => [sinusoid(90)(tS)[0], Number.NaN])
    const estimate = estimator.estimate()
    assert.equal(estimate.state, 'ok')
    assert.ok(Math.abs(estimate.heartRateBpm! - 90) <= 2)
    assert.equal(estimate.spo2Pct, undefined)
  })

  it('forgets the window on reset()', () => {
    const estimator = new PpgEstimator(options())
    feed(estimator, 8, sinusoid(72))
    estimator.reset()
    assert.equal(estimator.estimate().state, 'warming-up')
  })

  it('refuses a sample rate too low for its 8 Hz low-pass', () => {
    assert.throws(() => new PpgEstimator(options({ sampleRateHz: 12.5 })), RangeError)
  })
})

describe('MAX30102 reading quality', () => {
  const inputs = { atMs: 0, samplesRead: 10, samplesLost: 0, redRaw: 1, irRaw: 2 }

  it('keeps an SpO2 above 100 % (R = 0.3) but marks it out of range', () => {
    const estimator = new PpgEstimator(options())
    feed(estimator, 8, sinusoid(72, 0.3))
    const reading = buildReading({ ...inputs, estimate: estimator.estimate() })
    assert.equal(reading.quality, 'fault')
    assert.equal(reading.fault, 'out-of-range')
    assert.ok(Math.abs(reading.spo2Pct! - 102.5) <= 1)
  })

  it('is good with every value in range', () => {
    const reading = buildReading({ ...inputs, estimate: { state: 'ok', heartRateBpm: 72, spo2Pct: 97, perfusionPct: 2 } })
    assert.deepEqual(reading, { atMs: 0, quality: 'good', heartRateBpm: 72, spo2Pct: 97, perfusionPct: 2, redRaw: 1, irRaw: 2, samplesRead: 10, samplesLost: 0 })
    assert.ok(Object.isFrozen(reading))
  })

  it('says fifo-overflow when samples were lost, before anything else', () => {
    const reading = buildReading({ ...inputs, samplesLost: 5, estimate: { state: 'probe-off' } })
    assert.equal(reading.fault, 'fifo-overflow')
  })

  it('marks a heart rate outside 30..250 bpm out of range', () => {
    const reading = buildReading({ ...inputs, estimate: { state: 'ok', heartRateBpm: 280, perfusionPct: 2 } })
    assert.equal(reading.fault, 'out-of-range')
  })
})
