import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  approachSpeed,
  speedAfterDistanceMps,
  speedGoal,
  stepAgainstObstacle,
  stepVehicle,
  stoppingDistanceM,
  stoppingTimeS,
  type Drive,
  type VehicleMotion,
} from '../../../drivers/sim/world/vehicle-physics.ts'

const drive = (overrides: Partial<Drive> = {}): Drive => ({
  braking: false,
  brakeDecelMps2: 6,
  rollingDecelMps2: 0.1,
  cruiseSpeedMps: null,
  cruiseAccelMps2: 2,
  ...overrides,
})
const at = (speedMps: number, positionM = 0): VehicleMotion => ({ positionM, speedMps, accelMps2: 0 })

/** Steps `motion` for `totalMs` in steps of `stepMs`. */
function run(motion: VehicleMotion, inputs: Drive, totalMs: number, stepMs: number): VehicleMotion {
  let state = motion
  for (let elapsedMs = 0; elapsedMs < totalMs; elapsedMs += stepMs) state = stepVehicle(state, inputs, Math.min(stepMs, totalMs - elapsedMs))
  return state
}

describe('vehicle physics', () => {
  it('gives the textbook stopping distances v²/2a and times v/a', () => {
    const table = [
      { speedMps: 20, decelMps2: 6, distanceM: 33.333, timeS: 3.333 },
      { speedMps: 15, decelMps2: 6, distanceM: 18.75, timeS: 2.5 },
      { speedMps: 27.78, decelMps2: 7, distanceM: 55.1235, timeS: 3.9686 }, // 100 km/h, hard braking
      { speedMps: 10, decelMps2: 9.81, distanceM: 5.097, timeS: 1.019 }, // 1 g
    ]
    for (const row of table) {
      assert.ok(Math.abs(stoppingDistanceM(row.speedMps, row.decelMps2) - row.distanceM) < 1e-3, `${row.speedMps} m/s at ${row.decelMps2} m/s²`)
      assert.ok(Math.abs(stoppingTimeS(row.speedMps, row.decelMps2) - row.timeS) < 1e-3, `${row.speedMps} m/s at ${row.decelMps2} m/s²`)
    }
  })

  it('brakes 20 m/s to a stop in 33.3 m whatever the step length', () => {
    for (const stepMs of [1, 10, 100, 333, 1000, 10_000]) {
      const stopped = run(at(20), drive({ braking: true }), 10_000, stepMs)
      assert.equal(stopped.speedMps, 0, `stepMs ${stepMs}`)
      assert.ok(Math.abs(stopped.positionM - 100 / 3) < 1e-9, `stepMs ${stepMs}: ${stopped.positionM}`)
      assert.equal(stopped.accelMps2, 0, 'at rest, no acceleration')
    }
  })

  it('reports the braking deceleration as a negative acceleration while stopping', () => {
    const braking = stepVehicle(at(20), drive({ braking: true }), 1000)
    assert.deepEqual(braking, { positionM: 17, speedMps: 14, accelMps2: -6 }) // s = ut + ½at² = 20 − 3
  })

  it('accelerates to the cruise speed and holds it', () => {
    const table = [
      { afterMs: 2500, speedMps: 5, positionM: 6.25, accelMps2: 2 }, // ½·2·2.5²
      { afterMs: 5000, speedMps: 10, positionM: 25, accelMps2: 0 },
      { afterMs: 7000, speedMps: 10, positionM: 45, accelMps2: 0 }, // 25 + 10·2
    ]
    for (const row of table) {
      const motion = stepVehicle(at(0), drive({ cruiseSpeedMps: 10 }), row.afterMs)
      assert.deepEqual(motion, { positionM: row.positionM, speedMps: row.speedMps, accelMps2: row.accelMps2 }, `after ${row.afterMs} ms`)
    }
  })

  it('coasts down on rolling resistance with no throttle, and slows to the cruise speed from above', () => {
    assert.deepEqual(stepVehicle(at(10), drive(), 10_000), { positionM: 95, speedMps: 9, accelMps2: -0.1 })
    const slowing = stepVehicle(at(12), drive({ cruiseSpeedMps: 10 }), 30_000) // 20 s to shed 2 m/s, then 10 s at 10
    assert.equal(slowing.speedMps, 10)
    assert.ok(Math.abs(slowing.positionM - (220 + 100)) < 1e-9, String(slowing.positionM))
  })

  it('never reverses: a stopped vehicle stays stopped', () => {
    assert.deepEqual(stepVehicle(at(0, 5), drive({ braking: true }), 1000), { positionM: 5, speedMps: 0, accelMps2: 0 })
    assert.deepEqual(stepVehicle(at(0, 5), drive(), 1000), { positionM: 5, speedMps: 0, accelMps2: 0 })
  })

  it('chooses braking over cruising', () => {
    assert.deepEqual(speedGoal(5, drive({ braking: true, cruiseSpeedMps: 10 })), { targetMps: 0, rateMps2: 6 })
    assert.deepEqual(speedGoal(5, drive({ cruiseSpeedMps: 10 })), { targetMps: 10, rateMps2: 2 })
    assert.deepEqual(speedGoal(5, drive()), { targetMps: 0, rateMps2: 0.1 })
  })

  it('gives the speed after a distance from v² = u² + 2as', () => {
    const brake = { targetMps: 0, rateMps2: 6 }
    assert.equal(speedAfterDistanceMps(15, brake, 8), Math.sqrt(225 - 96))
    assert.equal(speedAfterDistanceMps(15, brake, 18.75), 0)
    assert.equal(speedAfterDistanceMps(15, brake, 50), 0)
    assert.equal(speedAfterDistanceMps(0, { targetMps: 10, rateMps2: 2 }, 9), 6)
    assert.equal(approachSpeed(at(7), { targetMps: 7, rateMps2: 2 }, 1000).positionM, 7)
  })

  it('stops a vehicle at the obstacle and reports the speed it hit it at', () => {
    const hit = stepAgainstObstacle(at(15), drive({ braking: true }), 8, 1000)
    assert.deepEqual(hit.motion, { positionM: 8, speedMps: 0, accelMps2: 0 })
    assert.ok(hit.impactSpeedMps !== null && Math.abs(hit.impactSpeedMps - Math.sqrt(129)) < 1e-9)
    const cruising = stepAgainstObstacle(at(15), drive({ cruiseSpeedMps: 15 }), 60, 5000)
    assert.equal(cruising.impactSpeedMps, 15)
  })

  it('does not count reaching the obstacle at zero speed as a collision', () => {
    const exact = stepAgainstObstacle(at(15), drive({ braking: true }), 18.75, 5000)
    assert.equal(exact.impactSpeedMps, null)
    assert.equal(exact.motion.positionM, 18.75)
    const short = stepAgainstObstacle(at(15), drive({ braking: true }), 20, 5000)
    assert.deepEqual(short, { motion: { positionM: 18.75, speedMps: 0, accelMps2: 0 }, impactSpeedMps: null })
  })
})
