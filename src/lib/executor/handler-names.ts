// A cheap static look at a handler file, to refuse a typo'd handler name before a run is recorded. It only ever
// refuses when the file's names are plain to see: a module that re-exports (export *, export {...} from), a
// CommonJS module, or a Python file that imports or assigns names at the top is left for the run to judge.
import {readFileSync} from '../util/fs.ts'
import {NotFoundError} from '../errors.ts'
import type {FunctionKind} from '../types.ts'
import {closest} from '../util/words.ts'

/** The names a TypeScript/JavaScript module exports, or null when a static look cannot tell. */
export function exportedNames(text: string): string[] | null {
  if (/\bexport\s*\*|\bexport\s*(?:type\s*)?\{[^}]*\}\s*from\b|\bmodule\.exports\b|\bexports\.[\w$]+\s*=|\bexport\s+(?:const|let|var)\s*[[{]|\bexport\s*=/.test(text)) return null
  if (!/\bexport\b/.test(text)) return null
  const names = new Set<string>()
  for (const m of text.matchAll(/\bexport\s+(?:declare\s+)?(?:async\s+)?(?:function\s*\*?|const|let|var|class)\s*([A-Za-z_$][\w$]*)/g)) names.add(m[1]!)
  for (const m of text.matchAll(/\bexport\s*\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(',')) {
      const words = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)
      const name = words[words.length - 1]?.trim()
      if (name) names.add(name)
    }
  }
  if (/\bexport\s+default\b/.test(text)) names.add('default')
  return [...names]
}

/** The top-level functions of a Python file, or null when `name` may come from elsewhere (an import, an assignment). */
export function pythonFunctions(text: string, name: string): string[] | null {
  const escaped = name.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&')
  if (/^\s*from\s+\S+\s+import\s+\*/m.test(text) || new RegExp(`^(?:${escaped}\\s*[:=]|(?:from\\s+\\S+\\s+)?import\\b.*\\b${escaped}\\b|class\\s+${escaped}\\b)`, 'm').test(text)) return null
  return [...text.matchAll(/^(?:async\s+)?def\s+([A-Za-z_]\w*)/gm)].map((m) => m[1]!)
}

/** Throw NotFoundError when `handler` plainly is not a function of the file. */
export function checkHandlerName(file: string, label: string, kind: FunctionKind, handler: string): void {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return // the run reports an unreadable file
  }
  const names = kind === 'node' ? exportedNames(text) : kind === 'python' ? pythonFunctions(text, handler) : null
  if (names === null || names.includes(handler)) return
  const guess = closest(handler, names)
  const what = kind === 'node' ? 'exported function' : 'function'
  throw new NotFoundError(`${label} has no ${what} "${handler}".`,
    `${guess ? `Did you mean ${guess}? ` : ''}${names.length ? `Its ${what}s: ${names.join(', ')}.` : `It has no ${what}s.`} Run one with: lode run ${label}#NAME`)
}
