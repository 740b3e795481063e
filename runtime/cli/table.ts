/** Formats rows as a plain aligned text table (numbers right-aligned). */
export function textTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [header, ...rows.map(row => row.map(cell => (typeof cell === 'number' ? formatNumber(cell) : cell)))]
  const widths = header.map((_, column) => Math.max(...cells.map(row => String(row[column] ?? '').length)))
  const numeric = header.map((_, column) => rows.length > 0 && rows.every(row => typeof row[column] === 'number'))
  return cells
    .map(row => row.map((cell, column) => (numeric[column] ? String(cell).padStart(widths[column]!) : String(cell).padEnd(widths[column]!))).join('  ').trimEnd())
    .join('\n')
}

/** Short, human number: up to 3 decimals, no trailing zeros. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  return String(Number(value.toFixed(3)))
}
