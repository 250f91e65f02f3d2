#!/usr/bin/env node
// The `lode` command. The compile cache, a lazy import of @oclif/core and the resolver below keep start-up near Node's own.
import module from 'node:module'
module.enableCompileCache?.()
// lode's own modules import each other by relative paths to files that exist: answered from their URL, not the file system.
const {resolveOwnModules} = await import('../dist/lib/util/own-modules.js')
resolveOwnModules(new URL('../dist/', import.meta.url).href)
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
const {run} = await import('../dist/cli.js')
await run(process.argv.slice(2), import.meta.url)
