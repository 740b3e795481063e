import { readFile } from 'node:fs/promises'
import type * as z from 'zod'
import { ConfigError, formatPath } from './config-error.ts'
import { jsonErrorOffset, lineAndColumn } from './json-error-offset.ts'
import { zodIssues } from './zod-issues.ts'

/** Reads `file` as JSON and validates it against `schema`; every problem becomes a ConfigError issue. */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S>> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String((error as Error).message)
    throw new ConfigError([{ file, path: '(file)', message: `cannot read it: ${reason}` }])
  }
  return parseJson(file, text, schema)
}

export function parseJson<S extends z.ZodType>(file: string, text: string, schema: S): z.infer<S> {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new ConfigError([{ file, path: '(file)', message: `not valid JSON: ${describeJsonError(text, error)}` }])
  }
  const deep = tooDeep(data)
  if (deep !== undefined) throw new ConfigError([{ file, path: deep, message: `nested deeper than ${MAX_DEPTH} levels; no edgert file needs that many` }])
  const parsed = schema.safeParse(data)
  if (!parsed.success) throw new ConfigError(zodIssues(file, parsed.error, schema))
  return parsed.data
}

/** Deeper than any edgert file needs (the shipped ones reach ~8); the recursive schemas would overflow the stack long before zod's own limits. */
const MAX_DEPTH = 64

/** The path of the first value nested deeper than MAX_DEPTH, walked with a loop (no recursion), or undefined. */
function tooDeep(data: unknown): string | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: data, path: [] }]
  while (stack.length > 0) {
    const { value, path } = stack.pop()!
    if (value === null || typeof value !== 'object') continue
    if (path.length > MAX_DEPTH) return formatPath(path)
    for (const [key, child] of Object.entries(value)) stack.push({ value: child, path: [...path, Array.isArray(value) ? Number(key) : key] })
  }
  return undefined
}

/** Where the text stops being JSON, as a line and column, with V8's description of what it found. */
function describeJsonError(text: string, error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error)
  // V8 quotes a long excerpt of the text after its message; the line and column say more.
  const message = /^Unexpected token '.'/.exec(raw)?.[0] ?? raw.replace(/ in JSON at position \d+[\s\S]*$/, '')
  const offset = jsonErrorOffset(text)
  if (offset === undefined) return message
  const { line, column } = lineAndColumn(text, offset)
  return `${offset >= text.length ? 'unexpected end of file' : message} at line ${line}, column ${column}`
}
