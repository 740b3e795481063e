import type * as z from 'zod'
import { formatPath, type ConfigIssue } from './config-error.ts'

/** Turns zod's issues into path-named problems, suggesting the closest known key for a typo. */
export function zodIssues(file: string, error: z.ZodError, schema: z.ZodType): ConfigIssue[] {
  const known = knownKeys(schema)
  return error.issues.map(issue => {
    let message = issue.message
    if (issue.code === 'unrecognized_keys') {
      message = issue.keys
        .map(key => {
          const hint = closest(key, [...known].filter(candidate => candidate !== key))
          return `unknown key "${key}"${hint === undefined ? '' : ` (did you mean "${hint}"?)`}`
        })
        .join('; ')
    }
    return { file, path: formatPath(issue.path), message }
  })
}

/** Every object key that appears anywhere in the schema. */
export function knownKeys(schema: z.ZodType): Set<string> {
  const keys = new Set<string>()
  const seen = new Set<unknown>()
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return
    seen.add(node)
    const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def
    if (def === undefined) return
    if (def.type === 'object' && typeof def.shape === 'object' && def.shape !== null) {
      for (const [key, child] of Object.entries(def.shape)) {
        keys.add(key)
        visit(child)
      }
    }
    for (const field of ['innerType', 'element', 'valueType', 'in', 'out']) visit(def[field])
    if (Array.isArray(def.options)) for (const option of def.options) visit(option)
    if (def.type === 'lazy' && typeof def.getter === 'function') visit((def.getter as () => unknown)()) // recursive schemas (alarm conditions)
  }
  visit(schema)
  return keys
}

/** The known word nearest to `word`, if it is close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined
}

/** Edits (insert, delete, substitute, or swap two neighbours: "lacth") from a to b. */
function editDistance(a: string, b: string): number {
  let before: number[] = []
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) current[j] = Math.min(current[j]!, before[j - 2]! + 1)
    }
    before = previous
    previous = current
  }
  return previous[b.length]!
}
