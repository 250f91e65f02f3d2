// The web UI's files: one script bundled with esbuild (the charting library included: no CDN), its page and styles,
// written to dist/ui/ where `lode ui` and `lode report` read them.
import {copyFileSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'

export async function buildUi(root) {
  const src = join(root, 'src', 'lib', 'ui', 'web')
  const out = join(root, 'dist', 'ui')
  mkdirSync(out, {recursive: true})
  const esbuild = await import('esbuild')
  await esbuild.build({
    entryPoints: [join(src, 'main.ts')], outfile: join(out, 'app.js'), bundle: true, minify: true, format: 'iife',
    platform: 'browser', target: 'es2022', logLevel: 'error', legalComments: 'none',
  })
  copyFileSync(join(src, 'index.html'), join(out, 'index.html'))
  copyFileSync(join(src, 'app.css'), join(out, 'app.css'))
}
