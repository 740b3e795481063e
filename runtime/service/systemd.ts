import { openNotifySocket, type NotifySocket } from './notify-socket.ts'

/** What the service manager asked of this process, from its environment (sd_notify(3), sd_watchdog_enabled(3)). */
export interface ServiceEnvironment {
  /** $NOTIFY_SOCKET: where READY=1, STATUS=…, WATCHDOG=1 go; null when not started by systemd with Type=notify. */
  readonly notifySocket: string | null
  /** $WATCHDOG_USEC in ms, when it is meant for this process ($WATCHDOG_PID absent or equal to ours); null otherwise. */
  readonly watchdogMs: number | null
}

export function serviceEnvironment(env: NodeJS.ProcessEnv = process.env, pid: number = process.pid): ServiceEnvironment {
  const notifySocket = env.NOTIFY_SOCKET === undefined || env.NOTIFY_SOCKET === '' ? null : env.NOTIFY_SOCKET
  const usec = env.WATCHDOG_USEC === undefined ? NaN : Number(env.WATCHDOG_USEC)
  const forUs = env.WATCHDOG_PID === undefined || env.WATCHDOG_PID === '' || Number(env.WATCHDOG_PID) === pid
  const watchdogMs = notifySocket !== null && forUs && Number.isInteger(usec) && usec > 0 ? usec / 1000 : null
  return { notifySocket, watchdogMs }
}

/**
 * The notifications a Type=notify service sends. Each is one datagram of newline-separated
 * assignments; STATUS is a single line (systemctl status shows it).
 */
export class SystemdNotifier {
  readonly #socket: NotifySocket

  constructor(socket: NotifySocket) {
    this.#socket = socket
  }

  /** Opens the notifier for `env`, or returns null when no service manager listens. */
  static open(env: ServiceEnvironment): SystemdNotifier | null {
    return env.notifySocket === null ? null : new SystemdNotifier(openNotifySocket(env.notifySocket))
  }

  /** Start-up is complete: outputs are at their decided levels and the executive runs. */
  ready(status: string): Promise<void> {
    return this.#socket.send(`READY=1\nSTATUS=${oneLine(status)}\nMAINPID=${process.pid}`)
  }

  status(status: string): Promise<void> {
    return this.#socket.send(`STATUS=${oneLine(status)}`)
  }

  /** The keep-alive; sent only while the executive is healthy (health.ts). */
  watchdog(): Promise<void> {
    return this.#socket.send('WATCHDOG=1')
  }

  stopping(status: string): Promise<void> {
    return this.#socket.send(`STOPPING=1\nSTATUS=${oneLine(status)}`)
  }

  close(): void {
    this.#socket.close()
  }
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ')
}
