import { withoutUndefined } from './defined.ts'
import { STANDARD_GRAVITY_MPS2, type Drive } from './vehicle-physics.ts'

/**
 * How a vehicle world starts; every field is optional and defaults to DEFAULT_VEHICLE.
 * (`| undefined` because scenario schemas produce it for absent keys.)
 */
export interface VehicleInitial {
  readonly positionM?: number | undefined
  readonly speedMps?: number | undefined
  /** null: no throttle, coast on rolling resistance. */
  readonly cruiseSpeedMps?: number | null | undefined
  readonly cruiseAccelMps2?: number | undefined
  readonly brakeDecelMps2?: number | undefined
  readonly rollingDecelMps2?: number | undefined
  /** Distance from the vehicle to an obstacle ahead; null: the road is clear. */
  readonly obstacleDistanceM?: number | null | undefined
  /** The IMU's die temperature. */
  readonly temperatureC?: number | undefined
}

/** What a scenario may change during a run: everything but the position. */
export type VehicleSettings = Omit<VehicleInitial, 'positionM'>

/** Named vehicle events a scenario can trigger. */
export const VEHICLE_EVENTS = ['obstacle-cleared'] as const
export type VehicleEvent = (typeof VEHICLE_EVENTS)[number]

export type VehicleConfig = { readonly [K in keyof VehicleInitial]-?: Exclude<VehicleInitial[K], undefined> }

export const DEFAULT_VEHICLE: VehicleConfig = {
  positionM: 0,
  speedMps: 0,
  cruiseSpeedMps: null,
  /** About 0.2 g: an ordinary car's moderate acceleration. */
  cruiseAccelMps2: 2,
  /** A firm stop on dry asphalt (~0.6 g); the default. */
  brakeDecelMps2: 6,
  /** Rolling-resistance coefficient ~0.01 for car tyres on asphalt, times g. */
  rollingDecelMps2: 0.01 * STANDARD_GRAVITY_MPS2,
  obstacleDistanceM: null,
  temperatureC: 25,
}

/** `initial` with the defaults filled in. */
export function vehicleConfig(initial: VehicleInitial = {}): VehicleConfig {
  return { ...DEFAULT_VEHICLE, ...withoutUndefined(initial) }
}

/** The drive inputs of `config` (or of `settings` over `drive`). */
export function driveOf(drive: Omit<Drive, 'braking'> & Partial<Drive>, braking: boolean): Drive {
  const { brakeDecelMps2, rollingDecelMps2, cruiseSpeedMps, cruiseAccelMps2 } = drive
  return { braking, brakeDecelMps2, rollingDecelMps2, cruiseSpeedMps, cruiseAccelMps2 }
}
