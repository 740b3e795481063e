/**
 * One problem in a scenario file, located by its JSON path. The same shape as the runtime's
 * ConfigIssue (runtime/config/config-error.ts), so the CLI can report both alike; declared here
 * because nothing under drivers/ imports runtime/.
 */
export interface ScenarioIssue {
  readonly file: string
  /** e.g. `events[2].fault.kind`; `(root)` for the document itself, `(file)` for the file. */
  readonly path: string
  readonly message: string
}

/** A scenario that cannot be run; it lists every problem found, each with its JSON path. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError'
  readonly issues: readonly ScenarioIssue[]

  constructor(issues: readonly ScenarioIssue[]) {
    super(formatScenarioIssues(issues))
    this.issues = issues
  }
}

export function formatScenarioIssues(issues: readonly ScenarioIssue[]): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`
  return [`${count} in the scenario:`, ...issues.map(issue => `  ${issue.file}: ${issue.path}: ${issue.message}`)].join('\n')
}

/** `['events', 2, 'atS']` → `events[2].atS`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out === '' ? String(part) : `.${String(part)}`
  }
  return out === '' ? '(root)' : out
}
