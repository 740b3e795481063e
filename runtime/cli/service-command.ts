import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { loadConfig } from '../config/load.ts'
import { packageRoot } from '../config/package-root.ts'
import { loadUnixDgram } from '../service/notify-socket.ts'
import { resetStartHistory } from '../service/start-history.ts'
import { renderUnit } from '../service/unit-file.ts'
import { dataDir } from './data-dir.ts'
import { EXIT, UsageError } from './exit-codes.ts'

export interface ServiceInstallOptions {
  readonly board: string
  readonly tasks: string
  readonly name: string
  readonly user?: string
  readonly dataDir?: string
  readonly watchdogSec: number
  readonly rtPriority?: number
  readonly safeModeAfter: number
  readonly safeModeWindowS: number
  /** `edgert run` options after `--`, passed through (broker, device id, topics, TLS files…). */
  readonly runArgs: readonly string[]
  /** The long options `edgert run` knows, to refuse a typo now rather than at the first start. */
  readonly runFlags: readonly string[]
  /** Where to write; default /etc/systemd/system/<name>.service. */
  readonly output?: string
  /** Print the unit instead of writing it. */
  readonly print: boolean
}

/** The groups a non-root service user needs on Raspberry Pi OS: sysfs GPIO, /dev/i2c-*, serial ports. */
const DEVICE_GROUPS = ['gpio', 'i2c', 'dialout']

/**
 * `edgert service install`: checks the board and table as `validate` does, then writes a systemd
 * unit that runs them with this node and this installation's compiled CLI, and says what to run
 * next. Nothing is started: enabling a service that drives actuators is the user's step.
 */
export async function serviceInstallCommand(options: ServiceInstallOptions, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.@-]*$/.test(options.name)) throw new UsageError(`--name "${options.name}": a unit name is letters, digits and _ . @ -`)
  const passed = passThrough(options.runArgs, options.runFlags)
  const config = await loadConfig(options.board, options.tasks)
  // Type=notify needs the addon that sends to systemd's socket: fail here rather than at the first start.
  loadUnixDgram()
  const cliPath = join(packageRoot(), 'dist', 'runtime', 'cli', 'main.js')
  if (!existsSync(cliPath)) throw new UsageError(`the compiled CLI ${cliPath} is missing: run npm run build first (a service runs the compiled JavaScript, not the TypeScript sources)`)
  const user = options.user ?? defaultUser()
  const users = readColonFile('/etc/passwd')
  const groups = readColonFile('/etc/group')
  const present = DEVICE_GROUPS.filter(group => groups.has(group))
  const missingGroups = DEVICE_GROUPS.filter(group => !groups.has(group))
  const stateDir = resolve(options.dataDir ?? `/var/lib/${options.name}`)
  const boardArg = options.board.includes('/') || options.board.endsWith('.json') ? resolve(options.board) : options.board
  const runArgs = [
    '--board', boardArg,
    '--tasks', resolve(options.tasks),
    '--data-dir', stateDir,
    '--log-format', 'json',
    '--quiet',
    '--safe-mode-after', String(options.safeModeAfter),
    '--safe-mode-window', String(options.safeModeWindowS),
    ...(options.rtPriority === undefined ? [] : ['--rt-priority', String(options.rtPriority)]),
    ...passed,
  ]
  const paths = [process.execPath, cliPath, resolve(options.tasks), boardArg, stateDir]
  const unit = renderUnit({
    name: options.name,
    description: `edgert: ${config.table.description ?? config.tasksFile} on ${config.board.id}`.replace(/[\r\n]+/g, ' '),
    user,
    groups: present,
    nodePath: process.execPath,
    cliPath,
    runArgs,
    dataDir: stateDir,
    watchdogSec: options.watchdogSec,
    rtPriority: options.rtPriority ?? null,
    environmentFile: `/etc/edgert/${options.name}.env`,
    readsHome: paths.some(path => path.startsWith('/home/') || path.startsWith('/root/')),
    writtenBy: `edgert service install, ${new Date().toISOString().slice(0, 10)}`,
  })
  if (options.print) {
    out(unit)
    return EXIT.ok
  }
  const file = options.output ?? `/etc/systemd/system/${options.name}.service`
  try {
    writeFileSync(file, unit, { mode: 0o644 })
  } catch (error) {
    const code = (error as { code?: unknown }).code
    throw new UsageError(`cannot write ${file}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied; run it with sudo, or --print the unit' : (error as Error).message}`)
  }
  out(`wrote ${file}: ${config.tasksFile} on board '${config.board.id}' as user ${user}, state in ${stateDir}, watchdog ${options.watchdogSec} s`)
  if (missingGroups.length > 0) err(`edgert: note: group(s) ${missingGroups.join(', ')} do not exist here, so the unit does not ask for them (on Raspberry Pi OS they do; see deploy/README.md)`)
  out('next:')
  if (!users.has(user)) out(`  sudo useradd --system --no-create-home --shell /usr/sbin/nologin${present.length === 0 ? '' : ` --groups ${present.join(',')}`} ${user}`)
  out(`  (MQTT password, if any: sudo install -d -m 700 /etc/edgert && echo 'EDGERT_MQTT_PASSWORD=…' | sudo tee /etc/edgert/${options.name}.env && sudo chmod 600 /etc/edgert/${options.name}.env)`)
  out('  sudo systemctl daemon-reload')
  out(`  sudo systemctl enable --now ${options.name}`)
  out(`  systemctl status ${options.name}; journalctl -u ${options.name} -f`)
  return EXIT.ok
}

/** `edgert service reset`: forgets the start history, so the next start is out of safe mode. */
export function serviceResetCommand(options: { dataDir?: string }, out: (text: string) => void): number {
  const file = join(dataDir(options.dataDir), 'starts.json')
  out(resetStartHistory(file) ? `reset ${file}: the next start counts failed starts afresh (restart the service to leave safe mode)` : `no start history at ${file}; nothing to reset`)
  return EXIT.ok
}

/** Options install sets itself; given after `--` they would contradict the unit. */
const SET_BY_INSTALL = ['--board', '--tasks', '--data-dir', '--log-format', '--quiet', '--safe-mode-after', '--safe-mode-window', '--rt-priority', '--duration', '--password']

/** Options whose value is a file: made absolute, since the service does not start in this folder. */
const FILE_OPTIONS = ['--ca', '--cert', '--key', '--record', '--replay', '--scenario']

/** Checks the pass-through arguments and makes their file names absolute. */
function passThrough(args: readonly string[], known: readonly string[]): string[] {
  const result: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    const flag = arg.split('=')[0]!
    if (!arg.startsWith('--')) throw new UsageError(`after --: "${arg}" is not an edgert run option (they start with --)`)
    if (!known.includes(flag)) throw new UsageError(`after --: edgert run has no option ${flag}`)
    if (SET_BY_INSTALL.includes(flag)) throw new UsageError(`after --: ${flag} is set by service install itself${flag === '--password' ? ' (put EDGERT_MQTT_PASSWORD in the environment file instead, so it is not in the unit)' : ''}`)
    const value = arg.includes('=') ? arg.slice(flag.length + 1) : args[i + 1]?.startsWith('--') === false ? args[++i] : undefined
    result.push(flag)
    if (value !== undefined) result.push(FILE_OPTIONS.includes(flag) ? resolve(value) : value)
  }
  return result
}

/** The user who asked (through sudo), else this user, else a dedicated `edgert`. */
function defaultUser(): string {
  const sudoUser = process.env.SUDO_USER
  if (sudoUser !== undefined && sudoUser !== '' && sudoUser !== 'root') return sudoUser
  const self = process.env.USER ?? process.env.LOGNAME
  return self !== undefined && self !== '' && self !== 'root' ? self : 'edgert'
}

/** Names in /etc/passwd or /etc/group (the first field); empty when the file cannot be read. */
function readColonFile(file: string): Set<string> {
  try {
    return new Set(readFileSync(file, 'utf8').split('\n').map(line => line.split(':')[0] ?? '').filter(name => name !== '' && !name.startsWith('#')))
  } catch {
    return new Set()
  }
}
