import * as z from 'zod'
import type { RuntimeCommand } from '../rt-thread/runtime-command.ts'

/** The commands a device takes on `<prefix>/<deviceId>/cmd/<name>` (docs/telemetry.md). */
export const COMMAND_NAMES = ['acknowledge', 'reset', 'shelve', 'unshelve', 'set-threshold', 'pause', 'resume', 'republish'] as const
export type CommandName = (typeof COMMAND_NAMES)[number]

/** How far ahead a command may expire: bounds how long its id must be remembered against replays. */
export const MAX_EXPIRY_AHEAD_MS = 10 * 60_000

const envelope = {
  id: z.string().min(1).max(128).describe("the sender's id for this command; the answer carries it"),
  expiresAt: z.union([z.number().finite(), z.iso.datetime({ offset: true })]).describe('epoch ms or ISO 8601: later than this the command is refused'),
}
const alarm = z.string().min(1).max(64)

const SCHEMAS = {
  acknowledge: z.strictObject({ ...envelope, alarm }),
  reset: z.strictObject({ ...envelope, alarm }),
  shelve: z.strictObject({ ...envelope, alarm, durationS: z.number().positive().max(24 * 3600).describe('shelved for this long (at most a day)') }),
  unshelve: z.strictObject({ ...envelope, alarm }),
  'set-threshold': z.strictObject({ ...envelope, alarm, threshold: z.enum(['setAbove', 'clearAbove', 'setBelow', 'clearBelow']), value: z.number().finite() }),
  pause: z.strictObject({ ...envelope, task: z.string().min(1).max(64) }),
  resume: z.strictObject({ ...envelope, task: z.string().min(1).max(64) }),
  republish: z.strictObject({ ...envelope }),
} as const

export type CommandAction = RuntimeCommand | { readonly kind: 'republish' }

export interface ParsedCommand {
  readonly id: string
  readonly name: CommandName
  readonly expiresAtWallMs: number
  readonly action: CommandAction
}

export type CommandParse = { readonly ok: true; readonly command: ParsedCommand } | { readonly ok: false; readonly id: string | null; readonly name: string; readonly reason: string }

/** Validates a command message. Never throws: whatever arrives gets a reason that names what was wrong. */
export function parseCommand(name: string, payload: Uint8Array): CommandParse {
  let body: unknown
  try {
    body = JSON.parse(Buffer.from(payload).toString('utf8'))
  } catch {
    return { ok: false, id: null, name, reason: 'the body is not JSON' }
  }
  const id = typeof body === 'object' && body !== null && typeof (body as { id?: unknown }).id === 'string' ? (body as { id: string }).id.slice(0, 128) : null
  if (!(COMMAND_NAMES as readonly string[]).includes(name)) return { ok: false, id, name, reason: `no command "${name}" (commands: ${COMMAND_NAMES.join(', ')})` }
  const known = name as CommandName
  const parsed = SCHEMAS[known].safeParse(body)
  if (!parsed.success) return { ok: false, id, name, reason: parsed.error.issues.map(issue => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ') }
  const data = parsed.data as { id: string; expiresAt: number | string } & Record<string, unknown>
  const expiresAtWallMs = typeof data.expiresAt === 'number' ? data.expiresAt : Date.parse(data.expiresAt)
  return { ok: true, command: { id: data.id, name: known, expiresAtWallMs, action: actionOf(known, data) } }
}

function actionOf(name: CommandName, data: Record<string, unknown>): CommandAction {
  const alarmId = data.alarm as string
  switch (name) {
    case 'acknowledge':
    case 'reset':
    case 'unshelve':
      return { kind: 'alarm', alarmId, command: name }
    case 'shelve':
      return { kind: 'alarm', alarmId, command: 'shelve', durationMs: (data.durationS as number) * 1000 }
    case 'set-threshold':
      return { kind: 'threshold', alarmId, name: data.threshold as Extract<RuntimeCommand, { kind: 'threshold' }>['name'], value: data.value as number }
    case 'pause':
    case 'resume':
      return { kind: 'task', taskId: data.task as string, action: name }
    case 'republish':
      return { kind: 'republish' }
  }
}

/**
 * Expiry and replay protection: a command is applied at most once, and only before it expires.
 * Ids are remembered until their command's expiry (at most MAX_EXPIRY_AHEAD_MS), so memory is
 * bounded by the command rate; a replay after the expiry is refused as expired.
 */
export class CommandGate {
  readonly #wallNow: () => number
  readonly #seen = new Map<string, number>()

  constructor(wallNow: () => number) {
    this.#wallNow = wallNow
  }

  /** Why the command must not be applied, or undefined (and its id is then remembered). */
  admit(command: ParsedCommand): string | undefined {
    const nowMs = this.#wallNow()
    for (const [id, expiresAtMs] of this.#seen) if (expiresAtMs < nowMs) this.#seen.delete(id)
    if (command.expiresAtWallMs < nowMs) return `expired at ${new Date(command.expiresAtWallMs).toISOString()} (device time ${new Date(nowMs).toISOString()})`
    if (command.expiresAtWallMs > nowMs + MAX_EXPIRY_AHEAD_MS) return `expiresAt is more than ${MAX_EXPIRY_AHEAD_MS / 60_000} min ahead of the device's clock; send a nearer expiry`
    if (this.#seen.has(command.id)) return `id "${command.id}" was already used: a replayed command changes nothing`
    this.#seen.set(command.id, command.expiresAtWallMs)
    return undefined
  }
}
