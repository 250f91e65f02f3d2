#!/usr/bin/env node
// The `lode` command. The compile cache, lode's modules bundled into a few CommonJS files (scripts/build-cli.mjs) and
// a lazy import of @oclif/core keep start-up near Node's own.
import module from 'node:module'
module.enableCompileCache?.()
// node:sqlite is experimental before Node 24.15 and says so on every start: keep every other warning.
process.removeAllListeners('warning')
process.on('warning', (w) => {
  if (w.name === 'ExperimentalWarning' && /SQLite/i.test(w.message)) return
  process.stderr.write(`${w.name}: ${w.message}\n`)
})
// A reader that closes the pipe early (`lode ... | head`) is not an error. A command that must outlast its reader
// (`lode run` records its run to the end: views/reporter.ts, outlastReaders) marks its listener, and decides. Other
// listeners (oclif's swallows EPIPE) do not: a command left waiting for the pipe to drain would never end.
process.stdout.on('error', (error) => {
  if (process.stdout.listeners('error').some((listener) => listener.outlastsReaders)) return
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw error
})
let argv = process.argv.slice(2)
// `lode --project DIR COMMAND ...` (as `git -C DIR`): the flag every command takes, before the command. It is what
// LODE_PROJECT is to every command, absolute so that a handler's own `lode` calls find the same project.
const project = /^--project(?:=(.*))?$/s.exec(argv[0] ?? '')
if (project) {
  const dir = project[1] ?? argv[1]
  if (!dir || (project[1] === undefined && dir.startsWith('-'))) {
    process.stderr.write('Error: --project needs a directory.\nHint: lode --project DIR COMMAND ..., or lode COMMAND ... --project DIR\n')
    process.exit(2)
  }
  const {resolve} = await import('node:path')
  process.env.LODE_PROJECT = resolve(dir)
  argv = argv.slice(project[1] === undefined ? 2 : 1)
}
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version')) {
  const {readFileSync} = await import('node:fs')
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`lode/${pkg.version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  const require = module.createRequire(import.meta.url)
  // the commands a script runs most, with plain arguments, from smaller files of what they use: `log artifact|result`
  // (src/cli-log.ts); `run`, `runs ls`, `artifacts ls|get` (src/cli-lean.ts). Any other form is left to the whole command.
  const lean = argv[0] === 'log' ? '../dist/log.cjs'
    : argv[0] === 'run' || (argv[0] === 'runs' && argv[1] === 'ls') || (argv[0] === 'artifacts' && (argv[1] === 'ls' || argv[1] === 'get')) ? '../dist/lean.cjs'
    : null
  if (!(lean && (await require(lean).runLean(argv)))) {
    // required, not imported: oclif requires the same file for its commands (package.json oclif.commands), and gets this copy
    const {run} = require('../dist/cli.cjs')
    await run(argv, import.meta.url)
  }
}
