import type { Level } from '../../hal/gpio.ts'
import type { LidarTarget, MotionTarget, TofTarget } from './targets.ts'
import { withoutUndefined } from './defined.ts'
import { driveOf, vehicleConfig, type VehicleEvent, type VehicleInitial, type VehicleSettings } from './vehicle-config.ts'
import { stepAgainstObstacle, type Drive, type VehicleMotion } from './vehicle-physics.ts'
import { imuMotion, lidarReading, tofReading } from './vehicle-sensors.ts'
import type { ActuatorLines, World } from './world.ts'

export interface VehicleTargets {
  readonly lidar?: LidarTarget | undefined
  readonly tof?: TofTarget | undefined
  readonly imu?: MotionTarget | undefined
}

export interface VehicleWiring {
  readonly targets: VehicleTargets
  /** The board's outputs; with `brakeLine`, level 1 on that line applies the brake. */
  readonly actuators?: ActuatorLines | undefined
  readonly brakeLine?: number | undefined
}

export interface VehicleCollision {
  readonly atMs: number
  readonly impactSpeedMps: number
  readonly positionM: number
}

export interface VehicleReport {
  readonly atMs: number
  readonly positionM: number
  readonly speedMps: number
  readonly accelMps2: number
  readonly braking: boolean
  /** null: the road ahead is clear. */
  readonly obstacleDistanceM: number | null
  /** Set while the vehicle stands still short of an obstacle (0: touching it at zero speed). */
  readonly stoppedShortM: number | null
  /** The first time the vehicle reached the obstacle still moving; it then stays there. */
  readonly collision: VehicleCollision | null
  /** The smallest gap to an obstacle seen so far (null: there never was one). */
  readonly closestGapM: number | null
}

/**
 * A vehicle driving toward an obstacle, closing the loop through the board: the brake line's
 * level sets the deceleration, and the distance to the obstacle feeds the LiDAR, the
 * time-of-flight sensor and the IMU. A change of the brake line takes effect at the time it was
 * written, not at the next step, so stopping distances do not depend on stepMs.
 */
export class VehicleWorld implements World {
  readonly #wiring: VehicleWiring
  #drive: Drive
  #motion: VehicleMotion
  #obstacleM: number | null
  #temperatureC: number
  #nowMs = 0
  #collision: VehicleCollision | null = null
  #closestGapM: number | null = null

  constructor(wiring: VehicleWiring, initial: VehicleInitial = {}) {
    const config = vehicleConfig(initial)
    this.#wiring = wiring
    this.#motion = { positionM: config.positionM, speedMps: config.speedMps, accelMps2: 0 }
    this.#drive = driveOf(config, false)
    this.#obstacleM = config.obstacleDistanceM === null ? null : config.positionM + config.obstacleDistanceM
    this.#temperatureC = config.temperatureC
  }

  attach(atMs: number): () => void {
    this.#nowMs = atMs
    const { actuators, brakeLine } = this.#wiring
    let detach = (): void => undefined
    if (actuators !== undefined && brakeLine !== undefined) {
      this.#drive = driveOf(this.#drive, actuators.level?.(brakeLine) === 1)
      detach = actuators.onOutput((line, level, levelAtMs) => {
        if (line === brakeLine) this.#onBrake(level, levelAtMs)
      })
    }
    this.#publish()
    return detach
  }

  advanceTo(atMs: number): void {
    this.#integrateTo(atMs)
    this.#publish()
  }

  /**
   * Changes the drive (cruise, brake and rolling rates) from now on. `speedMps` takes effect at
   * once, as a scenario's jump cut (ignored after a collision); `obstacleDistanceM` places an
   * obstacle that far ahead of where the vehicle is now (null removes it).
   */
  set(settings: VehicleSettings): void {
    const { obstacleDistanceM, speedMps, temperatureC, ...drive } = settings
    this.#drive = driveOf({ ...this.#drive, ...withoutUndefined(drive) }, this.#drive.braking)
    if (speedMps !== undefined && this.#collision === null) this.#motion = { ...this.#motion, speedMps }
    if (obstacleDistanceM !== undefined) this.#obstacleM = obstacleDistanceM === null ? null : this.#motion.positionM + obstacleDistanceM
    if (temperatureC !== undefined) this.#temperatureC = temperatureC
  }

  /** 'obstacle-cleared': the road ahead is clear again. */
  trigger(event: VehicleEvent): void {
    if (event === 'obstacle-cleared') this.#obstacleM = null
  }

  report(): VehicleReport {
    const { positionM, speedMps, accelMps2 } = this.#motion
    const obstacleDistanceM = this.#obstacleM === null ? null : this.#obstacleM - positionM
    const stoppedShortM = speedMps === 0 && this.#collision === null ? obstacleDistanceM : null
    return { atMs: this.#nowMs, positionM, speedMps, accelMps2, braking: this.#drive.braking, obstacleDistanceM, stoppedShortM, collision: this.#collision, closestGapM: this.#closestGapM }
  }

  #onBrake(level: Level, atMs: number): void {
    this.#integrateTo(atMs)
    this.#drive = driveOf(this.#drive, level === 1)
  }

  #integrateTo(atMs: number): void {
    const dtMs = atMs - this.#nowMs
    if (!(dtMs > 0)) return
    this.#nowMs = atMs
    if (this.#collision !== null) return
    const { motion, impactSpeedMps } = stepAgainstObstacle(this.#motion, this.#drive, this.#obstacleM, dtMs)
    this.#motion = motion
    if (impactSpeedMps !== null) this.#collision = { atMs, impactSpeedMps, positionM: motion.positionM }
    if (this.#obstacleM !== null) this.#closestGapM = Math.min(this.#closestGapM ?? Number.POSITIVE_INFINITY, this.#obstacleM - motion.positionM)
  }

  #publish(): void {
    const { lidar, tof, imu } = this.#wiring.targets
    const gapM = this.#obstacleM === null ? null : this.#obstacleM - this.#motion.positionM
    if (lidar !== undefined) {
      const reading = lidarReading(gapM)
      lidar.setDistance(reading.distanceM)
      lidar.setSignal(reading.signalAmp)
    }
    if (tof !== undefined) {
      const distanceM = tofReading(gapM)
      if (distanceM === null) tof.setNoTarget()
      else tof.setDistance(distanceM)
    }
    imu?.setMotion(imuMotion(this.#motion.accelMps2, this.#temperatureC))
  }
}
