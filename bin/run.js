#!/usr/bin/env node
// The `lode` command. The compile cache and a lazy import of @oclif/core keep start-up near Node's own.
import module from 'node:module'
module.enableCompileCache?.()
process.removeAllListeners('warning')
const {run} = await import('../dist/cli.js')
await run(process.argv.slice(2), import.meta.url)
