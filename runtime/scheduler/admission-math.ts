/**
 * Arithmetic shared by the admission analyses (admission.ts): tolerant floor/ceil of time ratios
 * and a capped least-fixed-point iteration. Pure: no clock, no I/O.
 */

/**
 * Times closer than this are equal, ms. Table times are decimal ms such as 0.05, which binary
 * floats hold only approximately; sums of a few thousand of them drift by far less than 1e-9.
 */
export const TOLERANCE_MS = 1e-9

/** Most steps one fixed-point iteration may take before the analysis gives up (the brief's cap). */
export const MAX_FIXED_POINT_STEPS = 100_000

/** Most steps the whole analysis of one task may take, over all its fixed points. */
export const MAX_STEPS_PER_TASK = 2_000_000

/** A busy period longer than this many of the longest period is treated as never ending. */
export const BUSY_PERIOD_LIMIT_PERIODS = 1e6

/** ⌊x / y⌋, with x / y within 1e-9 of an integer counted as that integer. */
export function floorRatio(x: number, y: number): number {
  return Math.floor(x / y + 1e-9)
}

/** ⌈x / y⌉, with x / y within 1e-9 of an integer counted as that integer. */
export function ceilRatio(x: number, y: number): number {
  return Math.ceil(x / y - 1e-9)
}

/** Steps left for the analysis of one task; shared by all its fixed points. */
export interface StepBudget {
  remaining: number
}

export function newStepBudget(): StepBudget {
  return { remaining: MAX_STEPS_PER_TASK }
}

/** A computed time, or why there is none (one clause, used in explanations). */
export type Bound = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly why: string }

/**
 * The least fixed point x = f(x) at or above `startMs`, for a non-decreasing f with
 * f(startMs) >= startMs (the classic response-time recurrence, iterated from below).
 * Fails when x passes `limitMs` (the busy period does not end) or the step budget runs out.
 */
export function leastFixedPoint(f: (xMs: number) => number, startMs: number, limitMs: number, budget: StepBudget): Bound {
  let xMs = startMs
  for (let step = 0; step < MAX_FIXED_POINT_STEPS; step++) {
    if (budget.remaining-- <= 0) break
    const nextMs = f(xMs)
    if (nextMs <= xMs + TOLERANCE_MS) return { ok: true, ms: Math.max(xMs, nextMs) }
    if (nextMs > limitMs) return { ok: false, why: `its busy period runs past ${formatMs(limitMs)} ms, so it never ends` }
    xMs = nextMs
  }
  return { ok: false, why: `the analysis gave up after ${MAX_FIXED_POINT_STEPS} iteration steps` }
}

/** The busy-period limit for a task set: BUSY_PERIOD_LIMIT_PERIODS times its longest period. */
export function busyPeriodLimitMs(periodsMs: readonly number[]): number {
  return BUSY_PERIOD_LIMIT_PERIODS * Math.max(0, ...periodsMs)
}

/** A time for messages: at most three decimals, no trailing zeros ("6.2", "0.05", "3"). */
export function formatMs(ms: number): string {
  return String(Number(ms.toFixed(3)))
}

/** A utilization for messages: three decimals, more when rounding would hide that it exceeds 1. */
export function formatUtilization(utilization: number): string {
  const short = Number(utilization.toFixed(3))
  return String(short <= 1 && utilization > 1 ? Number(utilization.toFixed(9)) : short)
}
