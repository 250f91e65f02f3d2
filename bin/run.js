#!/usr/bin/env node
// The `lode` command. The compile cache, a lazy import of @oclif/core and the resolver below keep start-up near Node's own.
import module from 'node:module'
module.enableCompileCache?.()
// lode's own modules import each other by relative paths to files that exist (tsc wrote them): Node's resolver checks
// each against the file system and looks for the package.json that gives its format, ~0.2 ms an import, ~15 ms of a
// run's start-up. Those are answered here from the URL alone; every other import goes through Node's resolver.
const DIST = new URL('../dist/', import.meta.url).href
module.registerHooks?.({
  resolve(specifier, context, next) {
    const parent = context.parentURL
    if ((specifier.startsWith('./') || specifier.startsWith('../')) && specifier.endsWith('.js') && parent?.startsWith(DIST)) {
      const url = new URL(specifier, parent).href
      if (url.startsWith(DIST)) return {url, format: 'module', shortCircuit: true}
    }
    return next(specifier, context)
  },
})
// node:sqlite is experimental before Node 24.15 and says so on every start: keep every other warning.
process.removeAllListeners('warning')
process.on('warning', (w) => {
  if (w.name === 'ExperimentalWarning' && /SQLite/i.test(w.message)) return
  process.stderr.write(`${w.name}: ${w.message}\n`)
})
// A reader that closes the pipe early (`lode ... | head`) is not an error. A command that must outlast its reader
// (`lode run` records its run to the end: views/reporter.ts, outlastReaders) listens too, and decides.
process.stdout.on('error', (error) => {
  if (process.stdout.listenerCount('error') > 1) return
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw error
})
const {run} = await import('../dist/cli.js')
await run(process.argv.slice(2), import.meta.url)
