import { readFile } from 'node:fs/promises'
import type * as z from 'zod'
import { formatPath, ScenarioError, type ScenarioIssue } from './issues.ts'
import { Scenario, ScenarioEnvelope } from './schema.ts'
import { timelineProblems } from './timeline.ts'

export type ScenarioParse = { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly issues: readonly ScenarioIssue[] }

/** Reads and validates a scenario file; every problem, each with its JSON path, in one ScenarioError. */
export async function readScenarioFile(file: string): Promise<Scenario> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String((error as Error).message)
    throw new ScenarioError([{ file, path: '(file)', message: `cannot read it: ${reason}` }])
  }
  const parsed = parseScenarioText(text, file)
  if (!parsed.ok) throw new ScenarioError(parsed.issues)
  return parsed.scenario
}

/** JSON text → a validated scenario, or every problem found. Never throws for bad input. */
export function parseScenarioText(text: string, file: string): ScenarioParse {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    return { ok: false, issues: [{ file, path: '(file)', message: `not valid JSON: ${describeJsonError(text, error)}` }] }
  }
  return validateScenario(data, file)
}

/** Parsed JSON → a validated scenario, or every problem found. */
export function validateScenario(data: unknown, file: string): ScenarioParse {
  const parsed = Scenario.safeParse(data)
  if (parsed.success) return { ok: true, scenario: parsed.data }
  const issues = parsed.error.issues.map(issue => toIssue(file, issue))
  if (parsed.error.issues.some(issue => issue.path.length === 1 && issue.path[0] === 'world')) {
    const envelope = ScenarioEnvelope.safeParse(data)
    if (!envelope.success) issues.push(...envelope.error.issues.filter(issue => issue.path[0] !== 'world').map(issue => toIssue(file, issue)))
  }
  issues.push(...rawTimelineIssues(file, data))
  return { ok: false, issues: dedupe(issues) }
}

function toIssue(file: string, issue: z.core.$ZodIssue): ScenarioIssue {
  const message = issue.code === 'unrecognized_keys' ? issue.keys.map(key => `unknown key "${key}"`).join('; ') : issue.message
  return { file, path: formatPath(issue.path), message }
}

/** The schema checks times only once everything else is valid; the raw data lets them be reported now. */
function rawTimelineIssues(file: string, data: unknown): ScenarioIssue[] {
  if (typeof data !== 'object' || data === null) return []
  const { events, durationS } = data as { events?: unknown; durationS?: unknown }
  if (!Array.isArray(events)) return []
  return timelineProblems(events, durationS).map(({ index, message }) => ({ file, path: `events[${index}].atS`, message }))
}

function dedupe(issues: readonly ScenarioIssue[]): ScenarioIssue[] {
  const seen = new Set<string>()
  return issues.filter(issue => {
    const key = `${issue.path}\n${issue.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * V8's message, with a line and column when it gives a position. Node 20 does not always
 * ("Unexpected token '}', …"): then its own excerpt of the text is dropped, as it says less.
 */
function describeJsonError(text: string, error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error)
  const position = /at position (\d+)/.exec(raw)?.[1]
  const message = /^Unexpected token '.'/.exec(raw)?.[0] ?? raw.replace(/ in JSON at position \d+.*$/s, '')
  if (position === undefined) return message
  const before = text.slice(0, Number(position))
  return `${message} at line ${before.split('\n').length}, column ${Number(position) - before.lastIndexOf('\n')}`
}
