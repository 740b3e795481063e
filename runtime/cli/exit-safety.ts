/**
 * The exit path (ARCHITECTURE.md decision 6: safe state on exit). A signal stops the runtime
 * in order (run-command.ts); an error that nothing caught cannot wait for that, so the running
 * runtime registers a synchronous way to drive its outputs safe, and main.ts calls it before the
 * process ends. (A process that is killed outright, or a lost supply, gets no say at all: the
 * safe level must also be what the hardware falls back to, by its pull resistors: docs/alarms.md.)
 */
let emergency: (() => boolean) | undefined

/** Registers the running runtime's synchronous safe-state path; returns its unregistration. */
export function onFatalError(safe: () => boolean): () => void {
  emergency = safe
  return () => {
    if (emergency === safe) emergency = undefined
  }
}

/** Drives the outputs safe if a runtime is running; false when that failed or timed out. */
export function fatalSafeState(): boolean | undefined {
  return emergency?.()
}
