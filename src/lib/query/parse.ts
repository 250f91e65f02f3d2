// A small safe expression grammar for finding runs (`runs ls --where`) and for conditions over results and params.
// A hand-written recursive-descent parser over tokenize.ts; the tree it returns is data, compiled to bound SQL in
// the store (store/run-filter.ts) or evaluated in memory (evaluate.ts). Nothing is ever eval'ed.
//
//   expr    := or
//   or      := and ("or" and)*
//   and     := unary ("and" unary)*
//   unary   := "not" unary | "(" expr ")" | compare
//   compare := operand OP operand          OP: == != < <= > >=
//   operand := FIELD | NUMBER | STRING | true | false | null
import {FIELDS, QueryError} from './error.ts'
import {checkField, TIME_FIELDS, type Field} from './fields.ts'
import {tokenize, type Token} from './tokenize.ts'

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>='
export type Literal = number | string | boolean | null
export type Operand = {field: Field} | {value: Literal}

export type Expr =
  | {kind: 'and' | 'or'; left: Expr; right: Expr}
  | {kind: 'not'; expr: Expr}
  | {kind: 'compare'; op: CompareOp; left: Operand; right: Operand}

/** Longer or deeper than any real condition: a hostile expression is refused before it costs anything. */
export const MAX_LENGTH = 2000
export const MAX_DEPTH = 32

export interface ParseOptions {
  /** how the expression is named in errors, e.g. "--where" */
  source?: string
}

export function parseExpression(text: string, options: ParseOptions = {}): Expr {
  const src = options.source ?? 'expression'
  if (text.length > MAX_LENGTH) throw new QueryError(src, text, MAX_LENGTH + 1, `the expression is ${text.length} characters long; at most ${MAX_LENGTH} are read`)
  const tokens = tokenize(text, src)
  if (tokens.length === 1) throw new QueryError(src, text, 1, 'the expression is empty; expected a comparison such as results.accuracy > 0.9')
  const p = new Parser(tokens, text, src)
  const expr = p.or(0)
  const next = p.peek()
  if (next.kind !== 'end') {
    throw p.fail(next, next.kind === 'rparen' ? 'this ")" closes nothing' : `expected "and", "or" or the end, found ${describe(next)}`)
  }
  return expr
}

class Parser {
  private pos = 0
  private readonly tokens: Token[]
  private readonly text: string
  private readonly src: string

  constructor(tokens: Token[], text: string, src: string) {
    this.tokens = tokens
    this.text = text
    this.src = src
  }

  peek(): Token {
    return this.tokens[this.pos]!
  }

  fail(t: Token, what: string): QueryError {
    return new QueryError(this.src, this.text, t.col, what)
  }

  or(depth: number): Expr {
    let left = this.and(depth)
    while (this.peek().kind === 'or') {
      this.pos++
      left = {kind: 'or', left, right: this.and(depth)}
    }
    return left
  }

  and(depth: number): Expr {
    let left = this.unary(depth)
    while (this.peek().kind === 'and') {
      this.pos++
      left = {kind: 'and', left, right: this.unary(depth)}
    }
    return left
  }

  unary(depth: number): Expr {
    const t = this.peek()
    if (depth >= MAX_DEPTH) throw this.fail(t, `nested more than ${MAX_DEPTH} deep (parentheses and "not"); write it flatter`)
    if (t.kind === 'not') {
      this.pos++
      return {kind: 'not', expr: this.unary(depth + 1)}
    }
    if (t.kind === 'lparen') {
      this.pos++
      const inner = this.or(depth + 1)
      const close = this.peek()
      if (close.kind !== 'rparen') throw this.fail(close, `expected ")" to close the "(" at column ${t.col}, found ${describe(close)}`)
      this.pos++
      return inner
    }
    return this.compare()
  }

  compare(): Expr {
    const left = this.operand('a field or a value to compare')
    const opToken = this.peek()
    if (opToken.kind !== 'op') throw this.fail(opToken, `expected a comparison (== != < <= > >=) after ${quoteText(this.tokens[this.pos - 1]!)}, found ${describe(opToken)}`)
    this.pos++
    const op = opToken.text as CompareOp
    const right = this.operand(`a value after "${op}"`)
    if (!('field' in left) && !('field' in right)) throw this.fail(opToken, 'this compares two values; expected a field on one side (e.g. results.accuracy)')
    const nullSide = ('value' in left && left.value === null) || ('value' in right && right.value === null)
    if (nullSide && op !== '==' && op !== '!=') throw this.fail(opToken, `null can only be compared with == or !=, not "${op}"`)
    return {kind: 'compare', op, left: this.asTime(left, right, opToken), right: this.asTime(right, left, opToken)}
  }

  /** A string compared with a time field is a date: "2026-12-01" or "2026-12-01T10:00:00Z". */
  asTime(o: Operand, other: Operand, at: Token): Operand {
    if (!('value' in o) || typeof o.value !== 'string' || !('field' in other) || other.field.kind !== 'column' || !TIME_FIELDS.includes(other.field.name)) return o
    const ms = Date.parse(o.value)
    if (Number.isNaN(ms)) throw this.fail(at, `"${o.value}" is not a date; ${other.field.name} compares with a date such as "2026-12-01" or "2026-12-01T10:00:00Z"`)
    return {value: ms}
  }

  operand(expected: string): Operand {
    const t = this.peek()
    this.pos++
    switch (t.kind) {
      case 'field': {
        const path = t.value as string[]
        const field = checkField(path)
        if (typeof field === 'string') throw this.fail(t, field)
        return {field}
      }
      case 'number':
        return {value: t.value as number}
      case 'string':
        return {value: t.value as string}
      case 'true':
      case 'false':
        return {value: t.kind === 'true'}
      case 'null':
        return {value: null}
      default:
        this.pos--
        throw this.fail(t, `expected ${expected}, found ${describe(t)}`)
    }
  }
}

function describe(t: Token): string {
  return t.kind === 'end' ? 'the end of the expression' : quoteText(t)
}

function quoteText(t: Token): string {
  return `"${t.text.length > 40 ? t.text.slice(0, 40) + '…' : t.text}"`
}

const FIELD_HINT = `--sort takes one field, with a leading - for the highest first (--sort -results.accuracy); --columns takes fields separated by commas. ${FIELDS}`

/** One field on its own (--sort, --columns), with the same rules and errors as in an expression. */
export function parseField(text: string, source: string): Field {
  if (text.length > 200) throw new QueryError(source, text, 201, 'a field name longer than 200 characters', FIELD_HINT)
  const tokens = tokenize(text, source)
  const t = tokens[0]!
  if (t.kind !== 'field') throw new QueryError(source, text, t.col, `expected a field such as results.accuracy, found ${describe(t)}`, FIELD_HINT)
  if (tokens[1]!.kind !== 'end') throw new QueryError(source, text, tokens[1]!.col, `expected one field, found more: ${describe(tokens[1]!)}`, FIELD_HINT)
  const field = checkField(t.value as string[])
  if (typeof field === 'string') throw new QueryError(source, text, t.col, field, FIELD_HINT)
  return field
}
