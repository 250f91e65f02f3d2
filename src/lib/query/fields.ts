// The fields an expression may name: a closed set of run columns, and keys under results, params and labels.

/** A run column, or a key path into one of a run's JSON maps. */
export type Field =
  | {kind: 'column'; name: ColumnField}
  | {kind: 'json'; map: JsonMap; path: string[]}

export type JsonMap = 'results' | 'params' | 'labels'
export type ColumnField = 'uid' | 'name' | 'state' | 'kind' | 'function' | 'created' | 'started' | 'ended' | 'duration' | 'exit_code' | 'step' | 'parent' | 'iter'

export const COLUMN_FIELDS: readonly ColumnField[] = ['uid', 'name', 'state', 'kind', 'function', 'created', 'started', 'ended', 'duration', 'exit_code', 'step', 'parent', 'iter']
export const JSON_MAPS: readonly JsonMap[] = ['results', 'params', 'labels']
/** Times in ms since the epoch: a string compared with one is read as a date ("2026-12-01"). */
export const TIME_FIELDS: readonly ColumnField[] = ['created', 'started', 'ended']

const MAX_PATH = 8

/** The field a dotted path names, or why it names none. */
export function checkField(path: string[]): Field | string {
  const [head, ...rest] = path
  if ((JSON_MAPS as readonly string[]).includes(head!)) {
    if (rest.length === 0) return `"${head}" needs a key: ${head}.NAME (e.g. ${head}.accuracy)`
    if (rest.length > MAX_PATH) return `"${path.join('.')}" is nested more than ${MAX_PATH} keys deep`
    if (rest.some((k) => k.includes('"'))) return `a key with a double quote in it cannot be named here`
    if (head === 'labels' && rest.length > 1) return `labels are flat: expected labels.NAME, not "${path.join('.')}"`
    return {kind: 'json', map: head as JsonMap, path: rest}
  }
  if ((COLUMN_FIELDS as readonly string[]).includes(head!) && rest.length === 0) return {kind: 'column', name: head as ColumnField}
  return `unknown field "${path.join('.')}"; expected ${COLUMN_FIELDS.join(', ')}, or results.KEY, params.KEY, labels.KEY`
}

export function fieldName(f: Field): string {
  return f.kind === 'column' ? f.name : `${f.map}.${f.path.map((k) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : JSON.stringify(k))).join('.')}`
}
