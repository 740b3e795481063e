/**
 * The systemd unit `edgert service install` writes (deploy/README.md explains every line). Pure:
 * the caller resolves paths and the user. Hardening follows systemd.exec(5) with what Node needs
 * left open: no MemoryDenyWriteExecute (V8's JIT writes code), /sys writable for sysfs GPIO
 * (onoff exports lines there, so no ProtectKernelTunables), and realtime scheduling allowed only
 * when a priority was asked for.
 */
export interface UnitSettings {
  /** The unit's name without `.service`. */
  readonly name: string
  readonly description: string
  readonly user: string
  readonly groups: readonly string[]
  /** Absolute path of the node binary. */
  readonly nodePath: string
  /** Absolute path of the compiled CLI (dist/runtime/cli/main.js). */
  readonly cliPath: string
  /** The arguments after `run`, already absolute where they are paths. */
  readonly runArgs: readonly string[]
  /** Where state lives; under /var/lib/ it is the unit's StateDirectory (created, owned by the user). */
  readonly dataDir: string
  readonly watchdogSec: number
  /** SCHED_FIFO priority for the timing threads (LimitRTPRIO), or null. */
  readonly rtPriority: number | null
  /** Optional file with EDGERT_MQTT_PASSWORD=… (mode 600), so the password is not in the unit. */
  readonly environmentFile: string
  /** Paths that must stay readable although they are under /home (the table, the board, the install). */
  readonly readsHome: boolean
  /** When and by what it was written, for the header comment. */
  readonly writtenBy: string
}

/** Character-device groups (/proc/devices) the runtime opens: I2C, GPIO chips, UARTs and USB serial adapters. */
const DEVICE_GROUPS = ['char-i2c', 'char-gpiochip', 'char-ttyAMA', 'char-ttyS', 'char-ttyUSB', 'char-ttyACM']

export function renderUnit(settings: UnitSettings): string {
  const stateDirectory = settings.dataDir.startsWith('/var/lib/') ? settings.dataDir.slice('/var/lib/'.length) : null
  const exec = [settings.nodePath, settings.cliPath, 'run', ...settings.runArgs].map(quoteArg).join(' ')
  const lines = [
    `# ${settings.writtenBy}`,
    '# Written by `edgert service install`; run it again to change it (deploy/README.md explains each setting).',
    '[Unit]',
    `Description=${settings.description}`,
    'Wants=network-online.target',
    'After=network-online.target',
    "# edgert's own crash-loop guard (--safe-mode-after) decides when restarting stops helping; systemd keeps restarting.",
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    'Type=notify',
    'NotifyAccess=main',
    `ExecStart=${exec}`,
    `User=${settings.user}`,
    ...(settings.groups.length === 0 ? [] : [`SupplementaryGroups=${settings.groups.join(' ')}`]),
    ...(stateDirectory === null ? [`ReadWritePaths=${quoteArg(settings.dataDir)}`] : [`StateDirectory=${stateDirectory}`, 'StateDirectoryMode=0750']),
    `WorkingDirectory=${quoteArg(settings.dataDir)}`,
    `Environment=NODE_ENV=production EDGERT_DATA_DIR=${quoteArg(settings.dataDir)}`,
    `EnvironmentFile=-${settings.environmentFile}`,
    '# The runtime pings only while its executive is healthy (releases happen, critical tasks meet their deadlines).',
    `WatchdogSec=${settings.watchdogSec}`,
    'TimeoutStartSec=60',
    'TimeoutStopSec=15',
    'Restart=on-failure',
    'RestartSec=2',
    '# Exit code 2 is bad input (the table or board): restarting cannot help; the journal says what is wrong.',
    'RestartPreventExitStatus=2',
    ...(settings.rtPriority === null ? ['RestrictRealtime=yes'] : [`LimitRTPRIO=${settings.rtPriority}`]),
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    `ProtectHome=${settings.readsHome ? 'read-only' : 'yes'}`,
    'PrivateTmp=yes',
    'UMask=0027',
    'ProtectKernelModules=yes',
    'ProtectKernelLogs=yes',
    'ProtectControlGroups=yes',
    'ProtectClock=yes',
    'ProtectHostname=yes',
    'RestrictNamespaces=yes',
    'RestrictSUIDSGID=yes',
    'LockPersonality=yes',
    'SystemCallArchitectures=native',
    'CapabilityBoundingSet=',
    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6',
    'DevicePolicy=closed',
    ...DEVICE_GROUPS.map(group => `DeviceAllow=${group} rw`),
    '# No MemoryDenyWriteExecute: V8 needs writable and executable memory for its JIT.',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ]
  return lines.join('\n')
}

/**
 * One word of a systemd command line (systemd.service(5), "Command lines"): quoted when it has
 * white space or quotes, `%` doubled (specifiers) and `$` doubled (variable expansion).
 */
export function quoteArg(word: string): string {
  const escaped = word.replace(/%/g, '%%').replace(/\$/g, '$$$$')
  if (!/[\s"'\\]/.test(escaped) && escaped !== '') return escaped
  return `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}
