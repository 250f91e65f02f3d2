// The tokens of a query expression, read by hand one character at a time: no regex builds or runs anything here.
import {QueryError} from './error.ts'

export type TokenKind = 'field' | 'number' | 'string' | 'op' | 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'true' | 'false' | 'null' | 'end'

export interface Token {
  kind: TokenKind
  text: string
  /** a number's value (durations in ms), a string's unescaped text, a field's path */
  value?: number | string | string[]
  /** 1-based column of the token's first character */
  col: number
}

const OPS = ['==', '!=', '<=', '>=', '<', '>']
const WORDS: Record<string, TokenKind> = {and: 'and', or: 'or', not: 'not', true: 'true', false: 'false', null: 'null'}
const UNITS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9'
const isNameStart = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_')
const isNameChar = (c: string | undefined) => isNameStart(c) || isDigit(c) || c === '-'

export function tokenize(text: string, src: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    const col = i + 1
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++
    } else if (c === '(' || c === ')') {
      tokens.push({kind: c === '(' ? 'lparen' : 'rparen', text: c, col})
      i++
    } else if (c === '"' || c === "'") {
      const [value, next] = readString(text, i, src)
      tokens.push({kind: 'string', text: text.slice(i, next), value, col})
      i = next
    } else if (isDigit(c) || ((c === '-' || c === '.') && (isDigit(text[i + 1]) || (text[i + 1] === '.' && isDigit(text[i + 2]))))) {
      const [value, next] = readNumber(text, i, src)
      tokens.push({kind: 'number', text: text.slice(i, next), value, col})
      i = next
    } else if (isNameStart(c)) {
      const [path, next] = readField(text, i, src)
      const word = path.length === 1 ? WORDS[path[0]!.toLowerCase()] : undefined
      tokens.push(word ? {kind: word, text: text.slice(i, next), col} : {kind: 'field', text: text.slice(i, next), value: path, col})
      i = next
    } else {
      const op = OPS.find((o) => text.startsWith(o, i))
      if (op) {
        tokens.push({kind: 'op', text: op, col})
        i += op.length
      } else if (c === '=') {
        throw new QueryError(src, text, col, 'unexpected "="; compare with "==" (a single "=" is not an operator)')
      } else {
        throw new QueryError(src, text, col, `unexpected character ${JSON.stringify(c)}; expected a field, a value, an operator (== != < <= > >=), and/or/not or parentheses`)
      }
    }
  }
  tokens.push({kind: 'end', text: '', col: text.length + 1})
  return tokens
}

function readString(text: string, start: number, src: string): [string, number] {
  const quote = text[start]!
  let out = ''
  let i = start + 1
  while (i < text.length) {
    const c = text[i]!
    if (c === quote) return [out, i + 1]
    if (c === '\\') {
      const n = text[i + 1]
      if (n === undefined) break
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n
      i += 2
    } else {
      out += c
      i++
    }
  }
  throw new QueryError(src, text, start + 1, `this string is not closed; expected a closing ${quote}`)
}

function readNumber(text: string, start: number, src: string): [number, number] {
  let i = start
  if (text[i] === '-') i++
  while (isDigit(text[i]) || text[i] === '.' || text[i] === '_') i++
  if ((text[i] === 'e' || text[i] === 'E') && (isDigit(text[i + 1]) || ((text[i + 1] === '-' || text[i + 1] === '+') && isDigit(text[i + 2])))) {
    i += 2
    while (isDigit(text[i])) i++
  }
  const digits = text.slice(start, i).replaceAll('_', '')
  let unit = ''
  while (i < text.length && text[i]! >= 'a' && text[i]! <= 'z') unit += text[i++]
  const n = Number(digits)
  if (!Number.isFinite(n) || digits.split('.').length > 2) throw new QueryError(src, text, start + 1, `"${text.slice(start, i)}" is not a number`)
  if (unit === '') return [n, i]
  const scale = UNITS[unit]
  if (scale === undefined) throw new QueryError(src, text, start + 1, `"${text.slice(start, i)}": unknown unit "${unit}"; expected a plain number or a duration in ms, s, m, h or d (e.g. 90s)`)
  return [n * scale, i]
}

/** name(.name)*; a segment after a dot may also be a quoted key: results."f1 score" */
function readField(text: string, start: number, src: string): [string[], number] {
  const path: string[] = []
  let i = start
  for (;;) {
    if (text[i] === '"' || text[i] === "'") {
      const [key, next] = readString(text, i, src)
      if (key === '') throw new QueryError(src, text, i + 1, 'an empty key; expected a name')
      path.push(key)
      i = next
    } else if (isNameStart(text[i])) {
      const s = i
      while (isNameChar(text[i])) i++
      path.push(text.slice(s, i))
    } else {
      throw new QueryError(src, text, i + 1, `expected a key name after "${text.slice(start, i)}"`)
    }
    if (text[i] !== '.') return [path, i]
    i++
  }
}
