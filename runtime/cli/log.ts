import { Writable } from 'node:stream'
import { pino, type Logger } from 'pino'

/** How `edgert run` logs: one line per event, levels info/warn/error, with fields. */
export interface Log {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
  /** Writes out what is buffered (before process.exit on a fatal error). */
  flush(): void
}

export type LogFormat = 'pretty' | 'json'

/**
 * The runtime's log, through pino. It is asynchronous: pino buffers and writes in the
 * background (sonic-boom), and it runs on the main thread anyway, never on the rt thread that
 * samples and decides. `json` is one pino JSON object per line, for journald and log shippers
 * (`journalctl -o cat -u edgert | jq`). `pretty` is for a person at a terminal:
 * `12:03:04.123 WARN  lidar: missed its deadline (…)`.
 */
export function createLog(format: LogFormat, write: (text: string) => void = text => void process.stderr.write(text)): Log {
  const destination = format === 'json' ? pino.destination({ dest: 2, sync: false }) : prettyStream(write)
  const logger: Logger = pino({ base: null, timestamp: pino.stdTimeFunctions.isoTime, level: 'info' }, destination)
  const at =
    (level: 'info' | 'warn' | 'error') =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (fields === undefined) logger[level](message)
      else logger[level](fields, message)
    }
  return {
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    flush: () => {
      if ('flushSync' in destination && typeof destination.flushSync === 'function') {
        try {
          destination.flushSync()
        } catch {
          // not ready yet (nothing written): nothing to flush
        }
      }
    },
  }
}

const LEVELS: Readonly<Record<number, string>> = { 30: 'INFO ', 40: 'WARN ', 50: 'ERROR' }

/** pino's JSON lines turned into short human lines (time, level, message, then any extra fields). */
function prettyStream(write: (text: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line === '') continue
        try {
          const { level, time, msg, ...fields } = JSON.parse(line) as { level: number; time: string; msg?: string } & Record<string, unknown>
          const extra = Object.keys(fields).length === 0 ? '' : ` ${JSON.stringify(fields)}`
          write(`${String(time).slice(11, 23)} ${LEVELS[level] ?? String(level)} ${msg ?? ''}${extra}\n`)
        } catch {
          write(`${line}\n`)
        }
      }
      done()
    },
  })
}
