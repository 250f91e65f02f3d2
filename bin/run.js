#!/usr/bin/env node
// The `lode` command. The compile cache and a lazy import of @oclif/core keep start-up near Node's own.
import module from 'node:module'
module.enableCompileCache?.()
// node:sqlite is experimental before Node 24.15 and says so on every start: keep every other warning.
process.removeAllListeners('warning')
process.on('warning', (w) => {
  if (w.name === 'ExperimentalWarning' && /SQLite/i.test(w.message)) return
  process.stderr.write(`${w.name}: ${w.message}\n`)
})
// A reader that closes the pipe early (`lode ... | head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw error
})
const {run} = await import('../dist/cli.js')
await run(process.argv.slice(2), import.meta.url)
