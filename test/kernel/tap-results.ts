/** One top-level test or suite of a node:test TAP stream, with the failures inside it. */
export interface TapSuite {
  readonly name: string
  readonly ok: boolean
  readonly failures: readonly { readonly name: string; readonly error: string }[]
}

export interface TapResults {
  readonly suites: readonly TapSuite[]
  /** The closing counts: tests, pass, fail, cancelled, skipped, todo. */
  readonly counts: Readonly<Record<string, number>>
}

const RESULT = /^( *)(not ok|ok) \d+ - (.*?)(?: # (?:SKIP|TODO)\b.*)?$/
const COUNT = /^# (tests|pass|fail|cancelled|skipped|todo) (\d+)$/

/** Reads node:test's TAP output (Node 20's default reporter when not on a terminal). */
export function parseTap(text: string): TapResults {
  const lines = text.split('\n')
  const suites: TapSuite[] = []
  const counts: Record<string, number> = {}
  let failures: { name: string; error: string }[] = []
  for (const [index, line] of lines.entries()) {
    const count = COUNT.exec(line)
    if (count !== null) counts[count[1]!] = Number(count[2])
    const result = RESULT.exec(line)
    if (result === null) continue
    const [, indent, status, name] = result as unknown as [string, string, string, string]
    if (indent.length === 0) {
      suites.push({ name, ok: status === 'ok', failures })
      failures = []
    } else if (status === 'not ok') {
      failures.push({ name, error: errorAfter(lines, index) })
    }
  }
  return { suites, counts }
}

/** The `error:` field of the YAML block after a result line, on one line (at most 400 characters). */
function errorAfter(lines: readonly string[], index: number): string {
  for (let i = index + 1; i < lines.length && !RESULT.test(lines[i]!); i++) {
    const field = /^( *)error: (.*)$/.exec(lines[i]!)
    if (field === null) continue
    const inline = field[2]!.trim()
    if (inline !== '|-' && inline !== '>-' && inline !== '') return inline.replace(/^'|'$/g, '')
    const block: string[] = []
    for (let j = i + 1; j < lines.length && indentOf(lines[j]!) > field[1]!.length; j++) block.push(lines[j]!.trim())
    return block.filter(text => text !== '').join(' / ').slice(0, 400)
  }
  return ''
}

function indentOf(line: string): number {
  return line.trim() === '' ? Number.POSITIVE_INFINITY : line.length - line.trimStart().length
}
