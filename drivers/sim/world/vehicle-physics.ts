/**
 * Longitudinal motion of a vehicle on a straight road, as pure functions. Each step is solved
 * exactly for constant acceleration (s = ut + ½at², v² = u² + 2as), so the result does not
 * depend on the step length: a vehicle braking from 20 m/s at 6 m/s² stops 33.3 m on, however
 * the time is cut. The vehicle never reverses.
 */

/** Standard gravity, m/s² (3rd CGPM, 1901; ISO 80000-3). */
export const STANDARD_GRAVITY_MPS2 = 9.80665

/**
 * Impacts slower than this are rounding, not collisions: the solution of v² = u² − 2as for a
 * vehicle that stops exactly at the obstacle can come out a few ulps above zero.
 */
const IMPACT_EPSILON_MPS = 1e-6

export interface VehicleMotion {
  readonly positionM: number
  readonly speedMps: number
  /** The acceleration at the end of the step (0 once a target speed is reached). */
  readonly accelMps2: number
}

export interface Drive {
  /** The brake line is active. */
  readonly braking: boolean
  readonly brakeDecelMps2: number
  readonly rollingDecelMps2: number
  /** null: no throttle, the vehicle coasts down on rolling resistance. */
  readonly cruiseSpeedMps: number | null
  readonly cruiseAccelMps2: number
}

/** Where the speed is heading and how fast it gets there (an acceleration magnitude). */
export interface SpeedGoal {
  readonly targetMps: number
  readonly rateMps2: number
}

/** Braking wins over cruising; above the cruise speed, rolling resistance brings it down. */
export function speedGoal(speedMps: number, drive: Drive): SpeedGoal {
  if (drive.braking) return { targetMps: 0, rateMps2: drive.brakeDecelMps2 }
  if (drive.cruiseSpeedMps === null) return { targetMps: 0, rateMps2: drive.rollingDecelMps2 }
  if (speedMps < drive.cruiseSpeedMps) return { targetMps: drive.cruiseSpeedMps, rateMps2: drive.cruiseAccelMps2 }
  return { targetMps: drive.cruiseSpeedMps, rateMps2: drive.rollingDecelMps2 }
}

/** Accelerates at ±rate toward the goal's speed for `dtMs`, then holds that speed. */
export function approachSpeed(motion: VehicleMotion, goal: SpeedGoal, dtMs: number): VehicleMotion {
  const dtS = dtMs / 1000
  const { positionM, speedMps } = motion
  const gapMps = goal.targetMps - speedMps
  if (gapMps === 0 || goal.rateMps2 <= 0) return { positionM: positionM + speedMps * dtS, speedMps, accelMps2: 0 }
  const accelMps2 = Math.sign(gapMps) * goal.rateMps2
  const rampS = Math.abs(gapMps) / goal.rateMps2
  if (dtS < rampS) {
    return { positionM: positionM + speedMps * dtS + 0.5 * accelMps2 * dtS * dtS, speedMps: speedMps + accelMps2 * dtS, accelMps2 }
  }
  const rampM = rampDistanceM(speedMps, goal)
  return { positionM: positionM + rampM + goal.targetMps * (dtS - rampS), speedMps: goal.targetMps, accelMps2: 0 }
}

/** The distance covered while the speed changes to the goal's: (v² − u²) / 2a. */
export function rampDistanceM(speedMps: number, goal: SpeedGoal): number {
  const gapMps = goal.targetMps - speedMps
  if (gapMps === 0 || goal.rateMps2 <= 0) return 0
  return (goal.targetMps ** 2 - speedMps ** 2) / (2 * Math.sign(gapMps) * goal.rateMps2)
}

/** The speed after covering `distanceM` from `speedMps` under `goal` (v² = u² + 2as on the ramp). */
export function speedAfterDistanceMps(speedMps: number, goal: SpeedGoal, distanceM: number): number {
  const gapMps = goal.targetMps - speedMps
  if (gapMps === 0 || goal.rateMps2 <= 0) return speedMps
  if (distanceM >= rampDistanceM(speedMps, goal)) return goal.targetMps
  return Math.sqrt(Math.max(0, speedMps ** 2 + 2 * Math.sign(gapMps) * goal.rateMps2 * distanceM))
}

/** v² / 2a: how far a vehicle at `speedMps` travels while braking at `decelMps2` to a stop. */
export function stoppingDistanceM(speedMps: number, decelMps2: number): number {
  return (speedMps * speedMps) / (2 * decelMps2)
}

/** v / a. */
export function stoppingTimeS(speedMps: number, decelMps2: number): number {
  return speedMps / decelMps2
}

export interface ObstacleStep {
  readonly motion: VehicleMotion
  /** Set when the vehicle reached the obstacle still moving. */
  readonly impactSpeedMps: number | null
}

/**
 * One step of `stepVehicle` with an obstacle at `obstacleM` (null: the road is clear). A vehicle
 * that reaches the obstacle stops there, at the speed it had when it got there.
 */
export function stepAgainstObstacle(motion: VehicleMotion, drive: Drive, obstacleM: number | null, dtMs: number): ObstacleStep {
  const goal = speedGoal(motion.speedMps, drive)
  const next = approachSpeed(motion, goal, dtMs)
  if (obstacleM === null || next.positionM < obstacleM) return { motion: next, impactSpeedMps: null }
  const impactMps = speedAfterDistanceMps(motion.speedMps, goal, Math.max(0, obstacleM - motion.positionM))
  return {
    motion: { positionM: obstacleM, speedMps: 0, accelMps2: 0 },
    impactSpeedMps: impactMps > IMPACT_EPSILON_MPS ? impactMps : null,
  }
}

/** One step with no obstacle: `approachSpeed` toward the drive's goal. */
export function stepVehicle(motion: VehicleMotion, drive: Drive, dtMs: number): VehicleMotion {
  return approachSpeed(motion, speedGoal(motion.speedMps, drive), dtMs)
}
