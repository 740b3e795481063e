/** One measure of `npm run bench -- --json FILE` (bench/run.ts). */
export interface Measure {
  readonly value: number
  readonly unit: string
  /** The same measure for the baseline in the same run, or the target when there is no baseline. */
  readonly baseline: number | null
  /** baseline / value for "lower is better" measures (how many times better edgert is). */
  readonly ratio: number | null
}

export const round = (value: number, digits = 3): number => Number(value.toFixed(digits))
