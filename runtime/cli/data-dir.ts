import { homedir } from 'node:os'
import { basename, join } from 'node:path'

/**
 * Where `edgert run` keeps what survives a restart: `--data-dir`, else $EDGERT_DATA_DIR, else
 * the XDG state directory ($XDG_STATE_HOME/edgert, ~/.local/state/edgert). The systemd unit sets
 * it to the service's StateDirectory.
 */
export function dataDir(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (option !== undefined) return option
  if (env.EDGERT_DATA_DIR !== undefined && env.EDGERT_DATA_DIR !== '') return env.EDGERT_DATA_DIR
  const state = env.XDG_STATE_HOME !== undefined && env.XDG_STATE_HOME !== '' ? env.XDG_STATE_HOME : join(homedir(), '.local', 'state')
  return join(state, 'edgert')
}

/** The alarm-state file of a task table: one per table, so two tables on one device do not share states. */
export function alarmStateFile(tasksFile: string, option: string | undefined): string {
  return join(dataDir(option), `alarms-${basename(tasksFile, '.json')}.json`)
}
