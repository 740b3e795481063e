/** A timeline problem: which event, and what is wrong with its time. */
export interface TimelineProblem {
  readonly index: number
  readonly message: string
}

/**
 * Event times must be non-decreasing, and within durationS when it is given. Works on raw JSON
 * too (entries whose atS is not a number are skipped), so the loader can report timeline
 * problems alongside schema problems elsewhere in the file.
 */
export function timelineProblems(events: readonly unknown[], durationS: unknown): TimelineProblem[] {
  const problems: TimelineProblem[] = []
  let previous: { index: number; atS: number } | undefined
  events.forEach((event, index) => {
    const atS = typeof event === 'object' && event !== null ? (event as { atS?: unknown }).atS : undefined
    if (typeof atS !== 'number') return
    if (previous !== undefined && atS < previous.atS) {
      problems.push({ index, message: `${atS} s is before events[${previous.index}] (${previous.atS} s): times must not decrease` })
    }
    if (typeof durationS === 'number' && atS > durationS) problems.push({ index, message: `${atS} s is after the end of the scenario (durationS ${durationS} s)` })
    if (previous === undefined || atS >= previous.atS) previous = { index, atS }
  })
  return problems
}
