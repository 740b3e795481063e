import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { approachExponential } from '../../../drivers/sim/world/first-order.ts'
import { BASELINE_VITALS, PATIENT_EVENTS, stepVitals, targetsAfterEvent, type Vitals } from '../../../drivers/sim/world/patient-physiology.ts'
import { PatientWorld } from '../../../drivers/sim/world/patient.ts'
import { runWorld } from '../../../drivers/sim/world/run-world.ts'
import type { PatientSignal } from '../../../drivers/sim/world/targets.ts'
import { VirtualClock } from '../../../runtime/virtual-clock.ts'

function fakeProbes() {
  const seen = { oximeter: [] as PatientSignal[], temperatureC: [] as number[] }
  return {
    seen,
    targets: {
      pulseOximeter: { setPatient: (patient: PatientSignal) => void seen.oximeter.push(patient) },
      thermometer: { setTemperature: (temperatureC: number) => void seen.temperatureC.push(temperatureC) },
    },
  }
}

describe('patient physiology', () => {
  it('closes 63.2 % of the gap in one time constant, 95.0 % in three and 99.3 % in five', () => {
    const table = [
      { multiples: 1, closedPct: 63.21 },
      { multiples: 2, closedPct: 86.47 },
      { multiples: 3, closedPct: 95.02 },
      { multiples: 5, closedPct: 99.33 },
    ]
    for (const row of table) {
      const value = approachExponential(0, 100, row.multiples * 10_000, 10_000)
      assert.ok(Math.abs(value - row.closedPct) < 0.01, `${row.multiples} τ: ${value}`)
    }
  })

  it('gives the same result in one step or in many', () => {
    let stepped = 72
    for (let i = 0; i < 1000; i++) stepped = approachExponential(stepped, 140, 10, 8000)
    assert.ok(Math.abs(stepped - approachExponential(72, 140, 10_000, 8000)) < 1e-9)
  })

  it('jumps to the target with a zero time constant, and stays put at the target', () => {
    assert.equal(approachExponential(72, 140, 1, 0), 140)
    assert.equal(approachExponential(140, 140, 5000, 8000), 140)
  })

  it('steps each vital sign with its own time constant', () => {
    const targets: Vitals = { heartRateBpm: 140, spo2Pct: 85, temperatureC: 39, perfusionPct: 2 }
    const next = stepVitals(BASELINE_VITALS, targets, { heartRateBpm: 1, spo2Pct: 1000, temperatureC: 0, perfusionPct: 1 }, 10_000)
    assert.ok(Math.abs(next.heartRateBpm - 140) < 0.01)
    assert.ok(Math.abs(next.spo2Pct - 97) < 0.2)
    assert.equal(next.temperatureC, 39)
    assert.equal(next.perfusionPct, 2)
  })

  it('sets the issue\'s targets for each event, and recover returns to the baseline', () => {
    const baseline: Vitals = { heartRateBpm: 80, spo2Pct: 98, temperatureC: 37, perfusionPct: 3 }
    const table: [(typeof PATIENT_EVENTS)[number], Partial<Vitals>][] = [
      ['tachycardia', { heartRateBpm: 140 }],
      ['bradycardia', { heartRateBpm: 40 }],
      ['desaturation', { spo2Pct: 85 }],
      ['fever', { temperatureC: 39.0 }],
      ['probe-off', {}],
      ['probe-on', {}],
    ]
    for (const [event, changed] of table) assert.deepEqual(targetsAfterEvent(event, baseline, baseline), { ...baseline, ...changed }, event)
    const sick = { heartRateBpm: 140, spo2Pct: 85, temperatureC: 39, perfusionPct: 1 }
    assert.deepEqual(targetsAfterEvent('recover', sick, baseline), baseline)
    assert.deepEqual(BASELINE_VITALS, { heartRateBpm: 72, spo2Pct: 97, temperatureC: 36.8, perfusionPct: 2 })
  })
})

describe('patient world', () => {
  it('ramps to 140 bpm after tachycardia: within 5 % of the step after 3 τ and 1 % after 5 τ, never a jump', async () => {
    const clock = new VirtualClock()
    const { seen, targets } = fakeProbes()
    const patient = new PatientWorld(targets, { timeConstantsS: { heartRateBpm: 4 } })
    const stop = new AbortController()
    const running = runWorld(patient, clock, stop.signal, { stepMs: 100 })
    patient.trigger('tachycardia')
    await clock.advance(100)
    assert.ok(seen.oximeter.at(-1)!.heartRateBpm < 74, 'one step later it has barely moved')
    await clock.advance(11_900) // 3 τ
    assert.ok(Math.abs(140 - seen.oximeter.at(-1)!.heartRateBpm) <= 0.05 * (140 - 72), String(seen.oximeter.at(-1)!.heartRateBpm))
    await clock.advance(8000) // 5 τ
    assert.ok(Math.abs(140 - seen.oximeter.at(-1)!.heartRateBpm) <= 0.01 * (140 - 72))
    const rates = seen.oximeter.map(signal => signal.heartRateBpm)
    assert.ok(rates.every((rate, i) => i === 0 || rate >= rates[i - 1]!), 'rises monotonically')
    stop.abort()
    await running
  })

  it('reaches each event\'s target within five of its time constants, and recovers to the baseline', async () => {
    const table = [
      { event: 'bradycardia', vital: 'heartRateBpm', target: 40 },
      { event: 'desaturation', vital: 'spo2Pct', target: 85 },
      { event: 'fever', vital: 'temperatureC', target: 39.0 },
    ] as const
    for (const row of table) {
      const { targets } = fakeProbes()
      const patient = new PatientWorld(targets, { timeConstantsS: { heartRateBpm: 5, spo2Pct: 10, temperatureC: 60 } })
      const tauMs = { heartRateBpm: 5000, spo2Pct: 10_000, temperatureC: 60_000 }[row.vital]
      patient.attach(0)
      patient.trigger(row.event)
      patient.advanceTo(5 * tauMs)
      const gap = Math.abs(BASELINE_VITALS[row.vital] - row.target)
      assert.ok(Math.abs(patient.report()[row.vital] - row.target) <= 0.01 * gap, `${row.event}: ${patient.report()[row.vital]}`)
      patient.trigger('recover')
      patient.advanceTo(10 * tauMs)
      assert.ok(Math.abs(patient.report()[row.vital] - BASELINE_VITALS[row.vital]) <= 0.01 * gap, `${row.event} recovered`)
    }
  })

  it('feeds the oximeter and the thermometer, and a probe coming off changes what the oximeter sees, not the patient', () => {
    const { seen, targets } = fakeProbes()
    const patient = new PatientWorld(targets)
    patient.attach(0)
    assert.deepEqual(seen.oximeter.at(-1), { heartRateBpm: 72, spo2Pct: 97, perfusionPct: 2, probeOn: true })
    assert.equal(seen.temperatureC.at(-1), 36.8)
    patient.trigger('probe-off')
    patient.advanceTo(1000)
    assert.deepEqual(seen.oximeter.at(-1), { heartRateBpm: 72, spo2Pct: 97, perfusionPct: 2, probeOn: false })
    patient.trigger('probe-on')
    patient.advanceTo(2000)
    assert.equal(seen.oximeter.at(-1)!.probeOn, true)
  })

  it('takes its baseline from the initial values, and settings as targets to ramp to', () => {
    const patient = new PatientWorld({}, { heartRateBpm: 60, timeConstantsS: { heartRateBpm: 1, spo2Pct: 1 } })
    patient.attach(0)
    patient.set({ heartRateBpm: 100, spo2Pct: 92 })
    patient.advanceTo(1000)
    assert.ok(Math.abs(patient.report().heartRateBpm - (100 - 40 / Math.E)) < 1e-9)
    patient.trigger('recover')
    patient.advanceTo(30_000)
    assert.ok(Math.abs(patient.report().heartRateBpm - 60) < 1e-6)
    assert.ok(Math.abs(patient.report().spo2Pct - 97) < 1e-6)
  })
})
