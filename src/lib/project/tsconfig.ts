// The tsconfig.json `lode init` writes: TypeScript handlers type-check against lode's own declarations, with nothing
// installed next to them (at run time `lode` and `nodejs-polars` resolve to lode's copies the same way).
import {existsSync, writeFileSync} from '../util/fs.ts'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

/** lode's package folder: this file is src/lib/project/ or dist/lib/project/ in it. */
const LODE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

/** A package's folder as lode itself resolves it, or null when it is not installed (e.g. @types/node, a dev dependency). */
function packageDir(name: string): string | null {
  try {
    return dirname(createRequire(join(LODE_ROOT, 'package.json')).resolve(`${name}/package.json`))
  } catch {
    return null
  }
}

export function typeConfig(): object {
  const nodeTypes = packageDir('@types/node')
  const polars = packageDir('nodejs-polars')
  return {
    compilerOptions: {
      target: 'es2023',
      lib: ['es2023'],
      // handlers run as ES modules with their types stripped: what Node accepts is what is checked
      module: 'preserve',
      moduleResolution: 'bundler',
      noEmit: true,
      allowImportingTsExtensions: true,
      verbatimModuleSyntax: true,
      erasableSyntaxOnly: true,
      strict: true,
      skipLibCheck: true,
      paths: {
        lode: [join(LODE_ROOT, 'dist', 'index.d.ts')],
        ...(polars ? {'nodejs-polars': [polars]} : {}),
      },
      ...(nodeTypes ? {typeRoots: [dirname(nodeTypes)], types: ['node']} : {types: []}),
    },
    exclude: ['.lode', 'node_modules'],
  }
}

/** Write tsconfig.json into `dir` unless it has one; the path written, or null. */
export function writeTypeConfig(dir: string): string | null {
  const path = join(dir, 'tsconfig.json')
  if (existsSync(path)) return null
  writeFileSync(path, `${JSON.stringify(typeConfig(), null, 2)}\n`)
  return path
}
