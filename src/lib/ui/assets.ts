// The page's files, built into dist/ui/ by scripts/build-ui.mjs and shipped in the package: never fetched from a CDN.
import {existsSync, readFileSync} from '../util/fs.ts'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {LodeError} from '../errors.ts'

export interface UiAssets {
  html: string
  js: string
  css: string
}

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir)
  return dir
}

let cached: UiAssets | undefined

export function loadAssets(): UiAssets {
  if (cached) return cached
  const dir = join(packageRoot(), 'dist', 'ui')
  try {
    cached = {html: readFileSync(join(dir, 'index.html'), 'utf8'), js: readFileSync(join(dir, 'app.js'), 'utf8'), css: readFileSync(join(dir, 'app.css'), 'utf8')}
  } catch {
    throw new LodeError('internal', `The web UI's files are missing from ${dir}: this lode was not built whole.`, {hint: 'Run: npm run build'})
  }
  return cached
}
