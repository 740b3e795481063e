import { batterySenseV, drainChargePct, potentiometerV } from './battery.ts'
import { diurnalClimate, timeOfDayH, WEATHER_OFFSETS, withOffsets } from './climate.ts'
import { approachExponential } from './first-order.ts'
import { DEFAULT_ENVIRONMENT, mergeEnvironment, type EnvironmentConfig, type EnvironmentEvent, type EnvironmentInitial, type EnvironmentSettings } from './environment-config.ts'
import type { AdcTarget, Climate, ClimateTarget } from './targets.ts'
import type { World } from './world.ts'

export interface EnvironmentTargets {
  /** BME280. */
  readonly climate?: ClimateTarget | undefined
  /** ADS1115: the potentiometer and the battery sense line. */
  readonly adc?: AdcTarget | undefined
}

export interface EnvironmentReport extends Climate {
  readonly atMs: number
  readonly timeOfDayH: number
  readonly batteryChargePct: number
  readonly batterySenseV: number
  readonly potentiometerV: number
}

const NO_OFFSETS: Climate = WEATHER_OFFSETS['fair-weather']

/**
 * The air around the board (a slow daily cycle plus weather events that ramp in) feeding a
 * BME280, and two analogue signals on an ADS1115: a potentiometer and a draining battery.
 * World time runs `timeScale` times faster than the clock, so a day fits in a short run.
 */
export class EnvironmentWorld implements World {
  readonly #outputs: EnvironmentTargets
  #config: EnvironmentConfig
  #offsets: Climate = NO_OFFSETS
  #offsetTargets: Climate = NO_OFFSETS
  /** World time since the start, ms (scaled). */
  #elapsedMs = 0
  #nowMs = 0

  constructor(outputs: EnvironmentTargets, initial: EnvironmentInitial = {}) {
    this.#outputs = outputs
    this.#config = mergeEnvironment(DEFAULT_ENVIRONMENT, initial)
  }

  attach(atMs: number): () => void {
    this.#nowMs = atMs
    this.#publish()
    return () => undefined
  }

  advanceTo(atMs: number): void {
    const dtMs = atMs - this.#nowMs
    if (dtMs > 0) this.#step(dtMs * this.#config.timeScale)
    this.#nowMs = Math.max(this.#nowMs, atMs)
    this.#publish()
  }

  /** Changes the cycle, the weather's pace, the potentiometer or the battery from now on. */
  set(settings: EnvironmentSettings): void {
    this.#config = mergeEnvironment(this.#config, settings)
  }

  /** A weather event (its offsets ramp in), or 'battery-replaced' (full at once). */
  trigger(event: EnvironmentEvent): void {
    if (event === 'battery-replaced') this.set({ battery: { chargePct: 100 } })
    else this.#offsetTargets = WEATHER_OFFSETS[event]
  }

  report(): EnvironmentReport {
    const { potentiometer, battery } = this.#config
    return {
      atMs: this.#nowMs,
      ...this.#climate(),
      timeOfDayH: timeOfDayH(this.#elapsedMs, this.#config.startHour),
      batteryChargePct: battery.chargePct,
      batterySenseV: batterySenseV(battery),
      potentiometerV: potentiometerV(potentiometer.positionPct, potentiometer.supplyV),
    }
  }

  #step(worldDtMs: number): void {
    const { battery, weatherTimeConstantS } = this.#config
    const approach = (name: keyof Climate): number => approachExponential(this.#offsets[name], this.#offsetTargets[name], worldDtMs, weatherTimeConstantS * 1000)
    this.#offsets = { temperatureC: approach('temperatureC'), pressurePa: approach('pressurePa'), humidityPct: approach('humidityPct') }
    this.#elapsedMs += worldDtMs
    this.set({ battery: { chargePct: drainChargePct(battery.chargePct, battery.loadMa, battery.capacityMah, worldDtMs) } })
  }

  #climate(): Climate {
    return withOffsets(diurnalClimate(timeOfDayH(this.#elapsedMs, this.#config.startHour), this.#config.climate), this.#offsets)
  }

  #publish(): void {
    const { climate, adc } = this.#outputs
    climate?.setEnvironment(this.#climate())
    if (adc === undefined) return
    const report = this.report()
    const { potentiometer, battery } = this.#config
    if (potentiometer.channel !== null) adc.setInputVoltage(potentiometer.channel, report.potentiometerV)
    if (battery.channel !== null) adc.setInputVoltage(battery.channel, report.batterySenseV)
  }
}
