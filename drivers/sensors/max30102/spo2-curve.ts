/**
 * The calibration curve from the ratio of ratios R = (AC_red/DC_red) / (AC_ir/DC_ir) to SpO2.
 *
 * We use the widely quoted empirical linear approximation SpO2 ≈ 110 − 25·R (e.g. chatppg.com,
 * "SpO2 Ratio of Ratios: Pulse Oximeter Calibration"), which that source gives as approximately
 * linear for R 0.4..1.0, i.e. SpO2 85..100 %. Below 85 % (R > 1) real curves bend and are device
 * specific, so values there are an extrapolation. R < 0.4 gives more than 100 %: physically
 * impossible, reported by the driver as an out-of-range fault rather than clamped.
 *
 * It is NOT calibrated for the MAX30102 and its optics (every oximeter is calibrated against
 * arterial blood samples in a desaturation study); Maxim's own reference design (MAXREFDES117)
 * uses a quadratic, −45.060·R² + 30.354·R + 94.845, fitted for its board.
 */
export const SPO2_CURVE = { interceptPct: 110, slopePctPerR: -25, validFromR: 0.4, validToR: 1.0 } as const

export function spo2FromRatio(ratio: number): number {
  return SPO2_CURVE.interceptPct + SPO2_CURVE.slopePctPerR * ratio
}
