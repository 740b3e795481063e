/**
 * A battery that drains at a constant load, read through a resistor divider by an ADC.
 * Charge is coulomb counting: a 2000 mAh battery at 500 mA lasts 4 h.
 */

const MS_PER_HOUR = 3_600_000

export interface Battery {
  readonly chargePct: number
  readonly capacityMah: number
  readonly loadMa: number
  readonly fullV: number
  readonly emptyV: number
  /** The divider's output over its input (an ADS1115 input must stay below VDD + 0.3 V). */
  readonly dividerRatio: number
}

/** A single Li-ion cell (4.2 V charged, 3.0 V cut-off) on a 1:2 divider. */
export const DEFAULT_BATTERY: Battery = { chargePct: 100, capacityMah: 2000, loadMa: 100, fullV: 4.2, emptyV: 3.0, dividerRatio: 0.5 }

/** The charge after `dtMs` at `loadMa`, never below 0 %. */
export function drainChargePct(chargePct: number, loadMa: number, capacityMah: number, dtMs: number): number {
  const usedPct = ((loadMa * (dtMs / MS_PER_HOUR)) / capacityMah) * 100
  return Math.max(0, chargePct - usedPct)
}

/**
 * Terminal voltage, linear in charge between the cut-off and the full voltage: a first
 * approximation (a Li-ion cell's curve is flatter in the middle and falls fast near empty).
 */
export function batteryVoltageV(battery: Battery): number {
  return battery.emptyV + (battery.fullV - battery.emptyV) * (battery.chargePct / 100)
}

/** What the ADC input sees of the battery. */
export function batterySenseV(battery: Battery): number {
  return batteryVoltageV(battery) * battery.dividerRatio
}

/** A potentiometer across `supplyV` with its wiper at `positionPct`. */
export function potentiometerV(positionPct: number, supplyV: number): number {
  return (supplyV * positionPct) / 100
}
