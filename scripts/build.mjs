// Build: compile src/ to dist/ with tsc, then write oclif.manifest.json so start-up never imports every command.
import {execFileSync} from 'node:child_process'
import {rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
rmSync(join(root, 'dist'), {recursive: true, force: true})
rmSync(join(root, 'oclif.manifest.json'), {force: true})
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], {stdio: 'inherit'})

// @oclif/core and execa load as ~170 small modules; one file each (package.json "imports": #oclif, #execa) starts
// 40-60 ms faster. Only the load path changes: the same package versions, unmodified. oclif's bundle starts from
// the modules lode uses (scripts/oclif-entry.mjs), not from the package index.
const esbuild = await import('esbuild')
const vendor = (entry, outfile, format) => esbuild.build({
  entryPoints: [entry], outfile: join(root, 'dist', 'vendor', outfile),
  bundle: true, platform: 'node', target: 'node22', format, logLevel: 'error',
  // oclif loads these only for TypeScript development setups lode does not use
  external: ['typescript', 'ts-node', 'tsx'],
})
await Promise.all([vendor(join(root, 'scripts', 'oclif-entry.mjs'), 'oclif.cjs', 'cjs'), vendor(join(root, 'node_modules', 'execa', 'index.js'), 'execa.js', 'esm')])
await (await import('./build-ui.mjs')).buildUi(root)
await (await import('./build-cli.mjs')).buildCli(root)

process.env.NODE_ENV = 'production'
const {Plugin} = await import('@oclif/core')
const plugin = new Plugin({root, type: 'core', isRoot: true, ignoreManifest: true, errorOnManifestCreate: true})
await plugin.load()
writeFileSync(join(root, 'oclif.manifest.json'), JSON.stringify(plugin.manifest, null, 2) + '\n')
// the flags of the commands src/cli-lean.ts and src/cli-log.ts answer without oclif: ~2 kB to parse at their start-up, not the whole manifest
const lean = ['run', 'runs:ls', 'artifacts:ls', 'artifacts:get', 'log:artifact', 'log:result']
const leanFlags = Object.fromEntries(lean.map((id) => [id, Object.values(plugin.manifest.commands[id].flags).map(({name, char, type, multiple, options, env}) => ({name, char, type, multiple, options, env}))]))
writeFileSync(join(root, 'dist', 'lean-flags.json'), JSON.stringify(leanFlags) + '\n')
console.error(`built dist/ and oclif.manifest.json (${Object.keys(plugin.manifest.commands).length} commands)`)
