/** One problem in a configuration file, located by its JSON path. */
export interface ConfigIssue {
  readonly file: string
  /** e.g. `tasks[2].periodMs`; `(root)` for the document itself. */
  readonly path: string
  readonly message: string
}

/**
 * A board or task table that cannot be used. It lists every problem found, each with its file
 * and JSON path, and is raised before anything starts (ARCHITECTURE.md decision 7).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  readonly issues: readonly ConfigIssue[]

  constructor(issues: readonly ConfigIssue[]) {
    super(formatIssues(issues))
    this.issues = issues
  }
}

export function formatIssues(issues: readonly ConfigIssue[]): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`
  return [`${count} in the configuration:`, ...issues.map(issue => `  ${issue.file}: ${issue.path}: ${issue.message}`)].join('\n')
}

/** `['tasks', 2, 'periodMs']` → `tasks[2].periodMs`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out === '' ? String(part) : `.${String(part)}`
  }
  return out === '' ? '(root)' : out
}
