/**
 * A first-order lag, solved exactly for a step of any length: x(t + dt) = target + (x − target)·e^(−dt/τ).
 * After a change of target the gap closes by 63.2 % in one time constant, 95.0 % in three and
 * 99.3 % in five (1 − e^−n). τ ≤ 0 jumps to the target.
 */
export function approachExponential(value: number, target: number, dtMs: number, timeConstantMs: number): number {
  if (!(timeConstantMs > 0)) return target
  return target + (value - target) * Math.exp(-dtMs / timeConstantMs)
}
