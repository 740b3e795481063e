/**
 * The character offset of the first JSON syntax error in `text` (RFC 8259 grammar), or undefined
 * if there is none. JSON.parse on Node 20 does not always say where it failed ("Unexpected token
 * ',', ..."), and a person editing a board file needs a line and column.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let at = 0
  const fail = (): never => {
    throw new SyntaxAt(at)
  }
  const space = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++
  }
  const literal = (word: string): void => {
    if (text.startsWith(word, at)) at += word.length
    else fail()
  }
  const string = (): void => {
    at++ // opening quote
    while (at < text.length && text[at] !== '"') {
      const c = text.charCodeAt(at)
      if (c < 0x20) fail()
      if (text[at] === '\\') {
        at++
        if (text[at] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 1, at + 5))) fail()
          at += 4
        } else if (!'"\\/bfnrt'.includes(text[at] ?? 'x')) fail()
      }
      at++
    }
    if (at >= text.length) fail()
    at++
  }
  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at))
    if (match === null) fail()
    at += match![0].length
  }
  const value = (): void => {
    space()
    const c = text[at]
    if (c === '{') container('}', true)
    else if (c === '[') container(']', false)
    else if (c === '"') string()
    else if (c === 't') literal('true')
    else if (c === 'f') literal('false')
    else if (c === 'n') literal('null')
    else number()
    space()
  }
  const container = (close: string, keyed: boolean): void => {
    at++
    space()
    if (text[at] === close) {
      at++
      return
    }
    for (;;) {
      if (keyed) {
        space()
        if (text[at] !== '"') fail()
        string()
        space()
        if (text[at] !== ':') fail()
        at++
      }
      value()
      if (text[at] === ',') at++
      else if (text[at] === close) {
        at++
        return
      } else fail()
    }
  }
  try {
    value()
    if (at < text.length) fail()
    return undefined
  } catch (error) {
    if (error instanceof SyntaxAt) return Math.min(error.offset, text.length)
    if (error instanceof RangeError) return undefined // nested too deep to walk: the message says what V8 found, without a line
    throw error
  }
}

class SyntaxAt extends Error {
  readonly offset: number
  constructor(offset: number) {
    super(`JSON syntax error at offset ${offset}`)
    this.offset = offset
  }
}

/** 1-based line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') }
}
