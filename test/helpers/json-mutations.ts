import fc from 'fast-check'

/**
 * Random edits of a parsed JSON document, for fuzzing the loaders (test/runtime/config/fuzz.test.ts).
 *
 * A mutation does not hold a path. It holds `pick`, which chooses its target among the nodes that
 * fit when it is applied (taken modulo how many there are). That way a list of mutations still
 * applies after fast-check shrinks it or after an earlier edit has changed the document, and
 * `applyMutations` records the path that was actually edited so a counterexample can be read.
 */
export type Mutation =
  | { readonly op: 'delete-key'; readonly pick: number }
  | { readonly op: 'rename-key'; readonly pick: number; readonly typo: number }
  | { readonly op: 'replace-value'; readonly pick: number; readonly value: unknown }
  | { readonly op: 'duplicate-element'; readonly pick: number }
  | { readonly op: 'drop-element'; readonly pick: number }
  | { readonly op: 'odd-number'; readonly pick: number; readonly choice: number }
  | { readonly op: 'odd-string'; readonly pick: number; readonly value: string }
  | { readonly op: 'swap-ids'; readonly pick: number; readonly other: number; readonly duplicate: boolean }
  | { readonly op: 'insert-key'; readonly pick: number; readonly key: string; readonly value: unknown }
  | { readonly op: 'nest'; readonly pick: number; readonly wrapper: number; readonly depth: number }

/** Words worth trying in one kind of document: the keys its schema knows, and strings that mean something in it. */
export interface Vocabulary {
  readonly keys: readonly string[]
  readonly strings: readonly string[]
}

type Segment = string | number
type Container = Record<string, unknown> | unknown[]

interface Node {
  readonly path: readonly Segment[]
  readonly value: unknown
}

/**
 * A JSON number token that JSON.stringify cannot write (it overflows or underflows a double, or
 * is spelled unusually); `serialize` writes it into the text as it is.
 */
const raw = (token: string): string => `@@raw:${token}@@`
const RAW_TOKEN = /"@@raw:([-+.0-9eE]+)@@"/g

/** What a number can be turned into: zero, negative, NaN or Infinity spelled as strings, huge, tiny, not an integer. */
function oddNumber(x: number, choice: number): unknown {
  const choices: unknown[] = [
    0, -x, -1, 'NaN', 'Infinity', String(x), 1e308, -1e308, 1e-300, 5e-324, Number.MAX_SAFE_INTEGER + 2, x * 1e9, x + 0.5, 2 ** 31, -(2 ** 53),
    raw('1e999'), raw('-1e999'), raw('1e-400'), raw('-0'), raw('1.0'), raw('1E+2'), raw('123456789012345678901234567890'), true, null,
  ]
  return choices[choice % choices.length]
}

/** Strings that trip up name lookups (prototype keys), parsers (hex, empty, huge) and printing (control characters, emoji). */
const ODD_STRINGS = [
  '', ' ', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype', 'x'.repeat(5000), '0x', '0xZZ', '0x1ff', '\u0000', '\n', 'é', '🙂', 'NaN', '-1', 'true', 'null', 'a.b.c', '.', 'A',
]

const WRAPPERS: readonly ((value: unknown) => unknown)[] = [
  value => [value],
  value => ({ any: [value] }),
  value => ({ all: [value] }),
  value => ({ value }),
  value => [value, null],
]

/** A typo of `key`: two neighbours swapped, a letter dropped or doubled, the case changed, a letter added or replaced. */
export function typo(key: string, choice: number): string {
  if (key.length === 0) return 'x'
  const at = Math.floor(choice / 7) % key.length
  switch (choice % 7) {
    case 0:
      return at + 1 < key.length ? key.slice(0, at) + key[at + 1] + key[at] + key.slice(at + 2) : key.slice(0, -2) + key.slice(-1) + key.slice(-2, -1)
    case 1:
      return key.slice(0, at) + key.slice(at + 1) || 'x'
    case 2:
      return key.slice(0, at + 1) + key.slice(at)
    case 3:
      return key.toUpperCase()
    case 4:
      return `${key}s`
    case 5:
      return key.slice(0, at) + 'q' + key.slice(at + 1)
    default:
      return key.slice(0, 1).toUpperCase() + key.slice(1)
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Every node of the document, root first, with its path. Iterative, so any depth is fine. */
function nodes(root: unknown): Node[] {
  const found: Node[] = []
  const stack: Node[] = [{ path: [], value: root }]
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    found.push(node)
    const { path, value } = node
    if (Array.isArray(value)) value.forEach((child, index) => stack.push({ path: [...path, index], value: child }))
    else if (isObject(value)) for (const [key, child] of Object.entries(value)) stack.push({ path: [...path, key], value: child })
  }
  return found
}

function parentOf(root: unknown, path: readonly Segment[]): Container {
  let node = root
  for (const segment of path.slice(0, -1)) node = (node as Record<Segment, unknown>)[segment]
  return node as Container
}

/** `tasks[0].periodMs`, as the loader names paths. */
export function pathText(path: readonly Segment[]): string {
  let out = ''
  for (const segment of path) out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`
  return out === '' ? '(root)' : out
}

/** Replaces the node at `path` (not the root) with `value`. */
function setAt(root: unknown, path: readonly Segment[], value: unknown): void {
  const parent = parentOf(root, path)
  const last = path.at(-1)!
  if (Array.isArray(parent)) parent[last as number] = value
  else Object.defineProperty(parent, last, { value, enumerable: true, writable: true, configurable: true })
}

function removeAt(root: unknown, path: readonly Segment[]): void {
  const parent = parentOf(root, path)
  const last = path.at(-1)!
  if (Array.isArray(parent)) parent.splice(last as number, 1)
  else delete parent[last as string]
}

/** The result of applying mutations: the new document and what was done, one line per edit. */
export interface Mutated {
  readonly doc: unknown
  readonly log: readonly string[]
}

/** Applies `mutations` in order to a copy of `doc`. A mutation with no node to act on is skipped (and logged as such). */
export function applyMutations(doc: unknown, mutations: readonly Mutation[]): Mutated {
  let root: unknown = structuredClone(doc)
  const log: string[] = []
  for (const mutation of mutations) {
    const all = nodes(root)
    const choose = (fits: (node: Node) => boolean, pick = mutation.pick): Node | undefined => {
      const candidates = all.filter(fits)
      return candidates.length === 0 ? undefined : candidates[pick % candidates.length]
    }
    const inObject = (node: Node): boolean => typeof node.path.at(-1) === 'string'
    const inArray = (node: Node): boolean => typeof node.path.at(-1) === 'number'
    let target: Node | undefined
    switch (mutation.op) {
      case 'delete-key':
        target = choose(inObject)
        if (target) removeAt(root, target.path)
        break
      case 'rename-key':
        target = choose(inObject)
        if (target) {
          const parent = parentOf(root, target.path) as Record<string, unknown>
          const key = target.path.at(-1) as string
          const renamed = typo(key, mutation.typo)
          const entries = Object.entries(parent).map(([k, v]): [string, unknown] => [k === key ? renamed : k, v])
          for (const k of Object.keys(parent)) delete parent[k]
          for (const [k, v] of entries) Object.defineProperty(parent, k, { value: v, enumerable: true, writable: true, configurable: true })
          log.push(`rename ${pathText(target.path)} → "${renamed}"`)
          continue
        }
        break
      case 'replace-value':
        target = choose(() => true)
        if (target?.path.length === 0) root = structuredClone(mutation.value)
        else if (target) setAt(root, target.path, structuredClone(mutation.value))
        break
      case 'duplicate-element':
        target = choose(inArray)
        if (target) (parentOf(root, target.path) as unknown[]).splice(target.path.at(-1) as number, 0, structuredClone(target.value))
        break
      case 'drop-element':
        target = choose(inArray)
        if (target) removeAt(root, target.path)
        break
      case 'odd-number':
        target = choose(node => typeof node.value === 'number' && node.path.length > 0)
        if (target) setAt(root, target.path, oddNumber(target.value as number, mutation.choice))
        break
      case 'odd-string':
        target = choose(node => typeof node.value === 'string' && node.path.length > 0)
        if (target) setAt(root, target.path, mutation.value)
        break
      case 'swap-ids': {
        const isId = (node: Node): boolean => node.path.at(-1) === 'id' && typeof node.value === 'string'
        target = choose(isId)
        const other = choose(isId, mutation.other)
        if (target && other) {
          setAt(root, target.path, other.value)
          if (!mutation.duplicate) setAt(root, other.path, target.value)
          log.push(`${mutation.duplicate ? 'copy' : 'swap'} ids ${pathText(target.path)} ${mutation.duplicate ? '←' : '↔'} ${pathText(other.path)}`)
          continue
        }
        break
      }
      case 'insert-key':
        target = choose(node => isObject(node.value))
        if (target) Object.defineProperty(target.value as object, mutation.key, { value: structuredClone(mutation.value), enumerable: true, writable: true, configurable: true })
        break
      case 'nest':
        target = choose(node => node.path.length > 0)
        if (target) {
          let value = target.value
          for (let i = 0; i < mutation.depth; i++) value = WRAPPERS[mutation.wrapper % WRAPPERS.length]!(value)
          setAt(root, target.path, value)
        }
        break
    }
    log.push(target === undefined ? `${mutation.op}: nothing to act on` : `${mutation.op} ${pathText(target.path)}${describeValue(mutation)}`)
  }
  return { doc: root, log }
}

function describeValue(mutation: Mutation): string {
  switch (mutation.op) {
    case 'replace-value':
    case 'insert-key':
      return `${mutation.op === 'insert-key' ? ` key ${JSON.stringify(mutation.key)}` : ''} = ${short(mutation.value)}`
    case 'odd-string':
      return ` = ${short(mutation.value)}`
    case 'odd-number':
      return ` (choice ${mutation.choice})`
    case 'nest':
      return ` (wrapper ${mutation.wrapper % WRAPPERS.length}, depth ${mutation.depth})`
    default:
      return ''
  }
}

const short = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** The document as a file's text, with the raw number tokens of `odd-number` written in place. */
export function serialize(doc: unknown): string {
  return JSON.stringify(doc, null, 2).replace(RAW_TOKEN, '$1')
}

/** A JSON value of any type: small random ones, and the vocabulary's strings. */
function valueArb(vocabulary: Vocabulary): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 2, arbitrary: fc.constantFrom(...vocabulary.strings, ...ODD_STRINGS) },
    { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1, 0.5, 1e308, [], {}, [1], { a: 1 }) },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  )
}

/** One random mutation; the weights favour the edits a person makes by mistake. */
export function mutationArb(vocabulary: Vocabulary): fc.Arbitrary<Mutation> {
  const pick = fc.nat()
  const value = valueArb(vocabulary)
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...vocabulary.keys) },
    { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', '', '$schema') },
  )
  return fc.oneof(
    { weight: 2, arbitrary: fc.record({ op: fc.constant('delete-key' as const), pick }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('rename-key' as const), pick, typo: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('replace-value' as const), pick, value }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate-element' as const), pick }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('drop-element' as const), pick }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('odd-number' as const), pick, choice: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('odd-string' as const), pick, value: fc.oneof(fc.constantFrom(...vocabulary.strings, ...ODD_STRINGS), fc.string({ maxLength: 12 })) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('swap-ids' as const), pick, other: fc.nat(), duplicate: fc.boolean() }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('insert-key' as const), pick, key, value }) },
    // Depth stays far below what the zod schemas and the syntax checker survive today (see the
    // regression tests in fuzz.test.ts for what happens deeper).
    { weight: 1, arbitrary: fc.record({ op: fc.constant('nest' as const), pick, wrapper: fc.nat(), depth: fc.integer({ min: 1, max: 24 }) }) },
  )
}

/** One to five mutations in a row. */
export function mutationsArb(vocabulary: Vocabulary): fc.Arbitrary<Mutation[]> {
  return fc.array(mutationArb(vocabulary), { minLength: 1, maxLength: 5 })
}
