import type { JitterResult } from './jitter-result.ts'

/** [title, width, align] of each column of the jitter table. */
const COLUMNS: readonly (readonly [title: string, width: number, align: 'left' | 'right'])[] = [
  ['period', 6, 'left'],
  ['load', 4, 'left'],
  ['variant', 14, 'left'],
  ['p50 µs', 7, 'right'],
  ['p99 µs', 7, 'right'],
  ['max µs', 7, 'right'],
  ['missed', 12, 'right'],
  ['cpu %', 5, 'right'],
  ['path %', 6, 'right'],
  ['wait %', 6, 'right'],
  ['other %', 7, 'right'],
  ['p99 naive/this', 14, 'right'],
  ['p99 by round µs', 15, 'left'],
]

/** A number of µs as a whole number; NaN as '-'. */
export function us(value: number): string {
  return Number.isFinite(value) ? value.toFixed(0) : '-'
}

/** A percentage or ratio with one decimal; NaN as '-'. */
export function tenths(value: number): string {
  return Number.isFinite(value) ? value.toFixed(1) : '-'
}

function formatCells(cells: readonly string[]): string {
  return cells
    .map((cell, i) => {
      const [, width, align] = COLUMNS[i]!
      return align === 'left' ? cell.padEnd(width) : cell.padStart(width)
    })
    .join('  ')
    .trimEnd()
}

export function formatRow(r: JitterResult): string {
  return formatCells([
    `${r.periodMs} ms`,
    r.load,
    r.variant,
    us(r.p50Us),
    us(r.p99Us),
    us(r.maxUs),
    `${r.missed}/${r.expected}`,
    tenths(r.cpuPct),
    tenths(r.pathCpuPct),
    tenths(r.pathWaitPct),
    us(r.otherCpuPct),
    Number.isFinite(r.p99RatioVsBaseline) ? `${tenths(r.p99RatioVsBaseline)}x` : '',
    r.p99ByRoundUs.map(us).join('/'),
  ])
}

/**
 * The table: one row per variant. cpu = whole process (with an in-process load, and V8's helper
 * threads), path = the timing path's own threads, wait = the time those threads were runnable
 * but had no CPU (contention), other = other processes on the machine.
 */
export function formatTable(results: readonly JitterResult[]): string {
  return [formatCells(COLUMNS.map(([title]) => title)), ...results.map(formatRow)].join('\n')
}
