// The `lode` command as one CommonJS file, dist/cli.cjs, built from the modules tsc wrote to dist/. Node loads
// ~75 ES modules one by one (resolve, fetch, link, evaluate: each a step of the loader); one CommonJS file is read
// and compiled once (the compile cache keeps its code), and each module in it starts only when first used, as the
// dynamic imports in the source ask. Measured on `lode run --kind exec -- true`: ~7 ms of ~75 ms. The commands a
// script runs most, with plain arguments, load smaller files of what they use: dist/log.cjs for `lode log
// artifact|result` (src/cli-log.ts), which a shell handler runs once per value; dist/lean.cjs for `lode run`, `runs ls`
// and `artifacts ls|get` (src/cli-lean.ts). Their other forms leave them having done nothing, for dist/cli.cjs.
//
// - Every command and the command_not_found hook are in it: oclif takes them from its COMMANDS and
//   COMMAND_NOT_FOUND exports (package.json, oclif.commands strategy "explicit"), so the command oclif runs and the
//   start-up that chose it share one copy of each module (the signal handlers and the work registered with them).
// - `import.meta.url` is each module's own dist/ file, as before: files are found next to the module that names them.
// - Packages stay packages (required or imported from node_modules, as before), and so do the vendored #oclif and
//   #execa. The ink views (lib/views/live-mount.js, hyper-view.js) stay ES modules, imported when a terminal shows a
//   live view: ink waits at its top level, which CommonJS cannot require. They import only pure view helpers.
import {readdirSync, writeFileSync} from 'node:fs'
import {join, relative, sep} from 'node:path'
import {pathToFileURL} from 'node:url'

/** Command ids as oclif's "pattern" discovery names them: commands/runs/ls.js is runs:ls, a topic's index.js the topic. */
function commandFiles(dir, prefix = []) {
  const out = []
  for (const entry of readdirSync(dir, {withFileTypes: true}).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory()) out.push(...commandFiles(join(dir, entry.name), [...prefix, entry.name]))
    else if (entry.name.endsWith('.js')) {
      const name = entry.name.slice(0, -3)
      const id = (name === 'index' ? prefix : [...prefix, name]).join(':')
      out.push({id, file: './' + ['commands', ...prefix, entry.name].join('/')})
    }
  }
  return out
}

export async function buildCli(root) {
  const esbuild = await import('esbuild')
  const dist = join(root, 'dist')
  const commands = commandFiles(join(dist, 'commands'))
  // require() of an ES module in the bundle starts that module then, synchronously: a command loads when oclif asks for it
  const entry = [
    `const cli = require('./cli.js')`,
    `const COMMANDS = {}`,
    ...commands.map(({id, file}) => `Object.defineProperty(COMMANDS, ${JSON.stringify(id)}, {enumerable: true, get: () => require(${JSON.stringify(file)}).default})`),
    `function COMMAND_NOT_FOUND(options) { return require('./hooks/command-not-found.js').default.call(this, options) }`,
    // the library (dist/index.js), for 'lode' imported by a TypeScript workflow the command runs (cli-library.mjs)
    `module.exports = {run: cli.run, COMMANDS, COMMAND_NOT_FOUND, library: () => require('./index.js')}`,
  ].join('\n')
  const ownFiles = {
    name: 'lode-own-files',
    setup(build) {
      build.onResolve({filter: /^#/}, (args) => ({path: args.path, external: true}))
      build.onResolve({filter: /\/(live-mount|hyper-view)\.js$/}, (args) => ({
        path: './' + relative(dist, join(args.resolveDir, args.path)).split(sep).join('/'), external: true,
      }))
      build.onLoad({filter: /\.js$/}, async (args) => {
        const {readFile} = await import('node:fs/promises')
        const text = await readFile(args.path, 'utf8')
        const own = JSON.stringify(relative(dist, args.path).split(sep).join('/'))
        return {contents: text.replaceAll('import.meta.url', `__lodeModuleUrl(${own})`), loader: 'js'}
      })
    },
  }
  const bundle = (options) => esbuild.build({
    ...options,
    bundle: true, platform: 'node', target: 'node22', format: 'cjs', packages: 'external', logLevel: 'error',
    plugins: [ownFiles],
    // ES modules are strict code; so is the bundle. Each module's URL is its file's under dist/.
    banner: {js: `'use strict';\nconst __lodeModuleUrl = (file) => require('node:url').pathToFileURL(require('node:path').join(__dirname, file)).href;`},
  })
  await Promise.all([
    bundle({stdin: {contents: entry, resolveDir: dist, sourcefile: 'cli-entry.cjs', loader: 'js'}, outfile: join(dist, 'cli.cjs')}),
    // the commands a script runs most, with plain arguments: what they use. `lode log artifact|result`
    // (src/cli-log.ts, ~100 kB); `lode run`, `runs ls`, `artifacts ls|get` (src/cli-lean.ts, ~560 kB)
    bundle({entryPoints: [join(dist, 'cli-log.js')], outfile: join(dist, 'log.cjs')}),
    bundle({entryPoints: [join(dist, 'cli-lean.js')], outfile: join(dist, 'lean.cjs')}),
  ])
  const names = Object.keys(await import(pathToFileURL(join(dist, 'index.js')).href)).sort()
  writeFileSync(join(dist, 'cli-library.mjs'), [
    `// 'lode' as a TypeScript workflow run by the lode command imports it: the library from the command's own file.`,
    `import {createRequire} from 'node:module'`,
    `const lib = createRequire(import.meta.url)('./cli.cjs').library()`,
    `export const {${names.join(', ')}} = lib`,
    '',
  ].join('\n'))
  return commands.length
}
