/** Exit codes of every edgert command (README, "CLI"). */
export const EXIT = { ok: 0, runtimeFailure: 1, badInput: 2 } as const

/** A user error the CLI reports in one line (no stack trace) with exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}
