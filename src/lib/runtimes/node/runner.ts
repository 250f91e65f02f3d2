// Runs one TypeScript/JavaScript handler in its own process. Started by the executor with LODE_RUN_SPEC and fd 3,
// or started ahead of its run (LODE_RUNNER_PRESTART), in which case it gets ready and waits for the run on fd 3.
// Inside the handler, bare imports of `lode` (and of packages lode ships, such as nodejs-polars) resolve to lode's own.
import module from 'node:module'

// Before anything else is loaded: the runner's own modules then come from Node's compile cache, as the handler does.
module.enableCompileCache?.()
// and are found without asking the file system (~8 ms of a runner's start)
;(await import('../../util/own-modules.ts')).resolveOwnModules(new URL('../../../', import.meta.url).href)
await import('./run-handler.ts')
