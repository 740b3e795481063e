/**
 * One line on how the scenario's world ended, from its report (drivers/sim/world/*: the report
 * crosses the thread boundary as plain data). A vehicle says whether it stopped short of the
 * obstacle; other worlds print their final state.
 */
export function scenarioSummary(report: unknown): string {
  if (typeof report !== 'object' || report === null) return 'scenario: no report'
  const r = report as Record<string, unknown>
  if ('collision' in r && 'speedMps' in r) {
    const collision = r.collision as { impactSpeedMps?: number; atMs?: number } | null
    if (collision !== null) return `scenario: the vehicle hit the obstacle at ${fixed(collision.impactSpeedMps)} m/s`
    if (typeof r.stoppedShortM === 'number') return `scenario: the vehicle stopped ${fixed(r.stoppedShortM)} m short of the obstacle`
    const ahead = typeof r.obstacleDistanceM === 'number' ? `, obstacle ${fixed(r.obstacleDistanceM)} m ahead` : ''
    const now = r.speedMps === 0 ? 'standing still' : `moving at ${fixed(r.speedMps as number)} m/s`
    const closest = typeof r.closestGapM === 'number' ? `no collision: it came within ${fixed(r.closestGapM)} m of the obstacle, and is ${now}` : `the vehicle is ${now}`
    return `scenario: ${closest}${ahead}`
  }
  const fields = Object.entries(r)
    .filter(([key, value]) => key !== 'atMs' && (typeof value === 'number' || typeof value === 'boolean'))
    .map(([key, value]) => `${key} ${typeof value === 'number' ? fixed(value) : String(value)}`)
  return `scenario: at the end ${fields.join(', ')}`
}

const fixed = (value: number | undefined): string => (value === undefined ? '?' : Number(value.toFixed(2)).toString())
