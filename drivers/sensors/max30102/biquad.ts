/**
 * A second-order IIR section (biquad), transposed direct form II, with the coefficients of
 * R. Bristow-Johnson's "Cookbook formulae for audio EQ biquad filter coefficients" (W3C Audio EQ
 * Cookbook): w0 = 2π·f0/fs, α = sin(w0)/(2Q), Q = 1/√2 for a Butterworth response (−3 dB at f0).
 * Allocation-free: step() touches only the section's own fields.
 */
export class Biquad {
  readonly #b0: number
  readonly #b1: number
  readonly #b2: number
  readonly #a1: number
  readonly #a2: number
  #z1 = 0
  #z2 = 0

  private constructor(b0: number, b1: number, b2: number, a0: number, a1: number, a2: number) {
    this.#b0 = b0 / a0
    this.#b1 = b1 / a0
    this.#b2 = b2 / a0
    this.#a1 = a1 / a0
    this.#a2 = a2 / a0
  }

  /** Cookbook LPF: H(s) = 1 / (s² + s/Q + 1). */
  static lowPass(cutoffHz: number, sampleRateHz: number, q = Math.SQRT1_2): Biquad {
    const { cos, alpha } = angles(cutoffHz, sampleRateHz, q)
    return new Biquad((1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha)
  }

  /** Cookbook HPF: H(s) = s² / (s² + s/Q + 1). */
  static highPass(cutoffHz: number, sampleRateHz: number, q = Math.SQRT1_2): Biquad {
    const { cos, alpha } = angles(cutoffHz, sampleRateHz, q)
    return new Biquad((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha)
  }

  step(input: number): number {
    const output = this.#b0 * input + this.#z1
    this.#z1 = this.#b1 * input - this.#a1 * output + this.#z2
    this.#z2 = this.#b2 * input - this.#a2 * output
    return output
  }

  /**
   * Sets the state as if `input` had been applied forever, so a signal that starts at that
   * level causes no step transient (a photodiode's DC is ~100× its pulse). Returns the output.
   */
  prime(input: number): number {
    const output = ((this.#b0 + this.#b1 + this.#b2) / (1 + this.#a1 + this.#a2)) * input
    this.#z2 = this.#b2 * input - this.#a2 * output
    this.#z1 = this.#b1 * input - this.#a1 * output + this.#z2
    return output
  }
}

function angles(cutoffHz: number, sampleRateHz: number, q: number): { cos: number; alpha: number } {
  if (!(cutoffHz > 0 && cutoffHz < sampleRateHz / 2)) throw new RangeError(`biquad cutoff ${cutoffHz} Hz must be between 0 and fs/2 (${sampleRateHz / 2} Hz)`)
  const w0 = (2 * Math.PI * cutoffHz) / sampleRateHz
  return { cos: Math.cos(w0), alpha: Math.sin(w0) / (2 * q) }
}
