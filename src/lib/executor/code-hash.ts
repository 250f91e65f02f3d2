// A handler file's code hash, over the project files it imports too: a workflow step whose helper module changed must
// run again, not be reused.
import {isFile, readFileSync} from '../util/fs.ts'
import {dirname, join, relative, resolve} from 'node:path'
import {hashBytes} from '../util/hash.ts'
import {isInside} from '../util/inside.ts'

/** Files larger than this are hashed but not read for imports (no handler's source is that big). */
const SCAN_BYTES = 4 * 1024 * 1024
/** A bound on the files followed, so a project of thousands of modules cannot make resolving a function slow. */
const MAX_FILES = 500

const NODE_EXTS = ['.ts', '.mts', '.js', '.mjs']
// from './x.ts', import './x.ts', import('./x.ts'), require('./x.js'): relative specifiers only (packages are not the project's)
const NODE_IMPORT = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*(['"])(\.{1,2}\/[^'"\n]+)\1/g
// import a.b, c as d / from .a import b, c / from . import b
const PY_IMPORT = /^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\(?([^#\n]*)|import[ \t]+([^#\n]+))/gm

/**
 * The sha256 of a handler file; when it imports other files of the project (relative imports in TypeScript and
 * JavaScript, modules beside it in Python), a hash over it and each of them by path. A file that imports none hashes
 * as its bytes alone, as before imports were followed.
 */
export function handlerCodeHash(file: string, kind: 'node' | 'python', projectDir: string): string {
  // each file read once: hashed, then scanned for its imports
  const mainBytes = readFileSync(file)
  const main = hashBytes(mainBytes)
  const seen = new Map<string, string>([[file, main]])
  const queue: [string, Buffer][] = [[file, mainBytes]]
  while (queue.length && seen.size < MAX_FILES) {
    const [current, bytes] = queue.shift()!
    if (bytes.length > SCAN_BYTES) continue
    const text = bytes.toString('utf8')
    const found = kind === 'node' ? nodeImports(current, text) : pythonImports(current, text)
    for (const dep of found) {
      if (seen.has(dep) || seen.size >= MAX_FILES || !isInside(projectDir, dep)) continue
      try {
        const depBytes = readFileSync(dep)
        seen.set(dep, hashBytes(depBytes))
        queue.push([dep, depBytes])
      } catch {
        // unreadable now: the run will say so when it imports it
      }
    }
  }
  if (seen.size === 1) return main
  const parts = [...seen].filter(([path]) => path !== file).map(([path, sha]) => [relative(dirname(file), path), sha]).sort(([a], [b]) => (a! < b! ? -1 : 1))
  return hashBytes(JSON.stringify({main, imports: parts}))
}

function nodeImports(file: string, text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(NODE_IMPORT)) {
    const target = resolve(dirname(file), m[2]!)
    const hit = [target, ...NODE_EXTS.map((ext) => target + ext), ...NODE_EXTS.map((ext) => join(target, `index${ext}`))].find(isFile)
    if (hit) out.push(hit)
  }
  return out
}

function pythonImports(file: string, text: string): string[] {
  const out: string[] = []
  // the handler's folder is first on sys.path, so its plain imports are found there
  const add = (base: string, dotted: string) => {
    const parts = dotted.split('.').filter(Boolean)
    for (let i = 1; i <= parts.length; i++) {
      const path = join(base, ...parts.slice(0, i))
      for (const candidate of [`${path}.py`, join(path, '__init__.py')]) if (isFile(candidate)) out.push(candidate)
    }
  }
  for (const m of text.matchAll(PY_IMPORT)) {
    if (m[4] !== undefined) {
      for (const name of m[4].split(',')) add(dirname(file), name.trim().split(/\s+/)[0] ?? '')
      continue
    }
    const dots = m[1]!.length
    let base = dirname(file)
    for (let i = 1; i < dots; i++) base = dirname(base)
    const module = m[2]!
    add(base, module)
    // `from pkg import mod`: the names may be modules of pkg
    const names = m[3]!.replace(/[()\\]/g, ' ').split(',').map((n) => n.trim().split(/\s+/)[0] ?? '').filter((n) => /^\w+$/.test(n))
    for (const name of names) add(base, module ? `${module}.${name}` : name)
  }
  return out
}
