import {UserError} from '../errors.ts'

export const FIELDS = 'Fields: state, name, uid, created, duration, results.KEY, params.KEY, labels.KEY (README: Finding, comparing and deleting runs).'

/** A malformed expression: the message points at the column, under the expression itself. */
export class QueryError extends UserError {
  readonly col: number
  readonly what: string

  constructor(src: string, text: string, col: number, what: string, hint = `An expression compares fields with values, e.g. ${src} 'results.accuracy > 0.9 and params.model == "tree"'. ${FIELDS}`) {
    const shown = text.length > 120 ? text.slice(Math.max(0, col - 60), Math.max(0, col - 60) + 120) : text
    const caret = text.length > 120 ? Math.min(col, 60) : col
    super(
      `${src}: ${what} (column ${col}).\n  ${shown.replace(/[\u0000-\u001f\u007f]/g, ' ')}\n  ${' '.repeat(Math.max(0, caret - 1))}^`,
      hint,
    )
    this.col = col
    this.what = what
  }
}
