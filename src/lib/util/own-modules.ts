// lode's own modules import each other by relative paths to files that exist (tsc wrote them). Node's resolver checks
// each against the file system and looks for the package.json that gives its format, ~0.2-0.5 ms an import: a process
// that loads many of them at its start (the `lode` command, the Node runner) answers those from the URL alone. Every
// other import (a handler's, a package's) still goes through Node's resolver.
import module from 'node:module'

/** Resolve relative `.js` imports between modules under `dist` (a file: URL ending in `/`) without the file system. */
export function resolveOwnModules(dist: string): void {
  module.registerHooks?.({
    resolve(specifier, context, next) {
      const parent = context.parentURL
      if ((specifier.startsWith('./') || specifier.startsWith('../')) && specifier.endsWith('.js') && parent?.startsWith(dist)) {
        const url = new URL(specifier, parent).href
        if (url.startsWith(dist)) return {url, format: 'module', shortCircuit: true}
      }
      return next(specifier, context)
    },
  })
}
