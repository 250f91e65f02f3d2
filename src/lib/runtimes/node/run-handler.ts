// The runner's work (runner.ts loads it once Node's compile cache is on): read the run, import the handler, call it.
import module from 'node:module'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {ENV, type HandlerSpec, type RunnerStart} from '../../types.ts'
import {EventChannel} from '../../sdk/channel.ts'
import {Context} from '../../sdk/context.ts'
import {sha256Small} from '../../util/sha256.ts'

// node:fs as a builtin, not an ES import: the import's namespace loads fs/promises and streams too (~8 ms of a runner's start)
const {mkdirSync, readFileSync, readSync, statSync, writeFileSync} = process.getBuiltinModule('node:fs')

const lodeIndex = new URL('../../../index.js', import.meta.url).href
const lodeRoot = new URL('../../../../package.json', import.meta.url).href

module.registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'lode') return {url: lodeIndex, shortCircuit: true, format: 'module'}
    try {
      return nextResolve(specifier, context)
    } catch (error) {
      const bare = !specifier.startsWith('.') && !specifier.startsWith('/') && !specifier.includes(':')
      if (bare && (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return nextResolve(specifier, {...context, parentURL: lodeRoot})
      throw error
    }
  },
})

const channel = EventChannel.fromEnv()

/** Thrown by fail() once the failure is reported: the runner then exits with `code`, its output handed over. */
class Exit {
  readonly code: number
  constructor(code: number) {
    this.code = code
  }
}

function fail(message: string, stack?: string, code = 1): never {
  process.stderr.write(`${stack ?? message}\n`)
  channel?.send({t: 'error', message, ...(stack ? {stack} : {})})
  throw new Exit(code)
}

/**
 * Until what the handler wrote to stdout and stderr is handed over. lode's ends of them are sockets, written
 * asynchronously: exiting at once dropped what was still queued (all but ~150 kB of a 4 MB write just before return).
 */
function outputHandedOver(): Promise<unknown> {
  return Promise.all([process.stdout, process.stderr].map((s) => (s.writableLength === 0 || s.destroyed ? undefined
    : new Promise((resolve) => {
      for (const event of ['drain', 'error', 'close']) s.once(event, resolve)
    }))))
}

/** Read one line from a file descriptor, blocking; null at end of file (lode is gone, or has no run for us). */
function readLineSync(fd: number): string | null {
  const chunks: Buffer[] = []
  const buf = Buffer.alloc(64 * 1024)
  const pause = new Int32Array(new SharedArrayBuffer(4))
  for (;;) {
    let n: number
    try {
      n = readSync(fd, buf, 0, buf.length, null)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return null
      Atomics.wait(pause, 0, 0, 2)
      continue
    }
    if (n === 0) return null
    const nl = buf.subarray(0, n).indexOf(10)
    chunks.push(Buffer.from(buf.subarray(0, nl >= 0 ? nl : n)))
    if (nl >= 0) return Buffer.concat(chunks).toString('utf8')
  }
}

/**
 * Where this runner notes the TypeScript handlers it imported, by path, size and modification time. Node's compile
 * cache keeps the stripped code of such a file, so importing it again needs no type stripper (~50 ms to load).
 */
function strippedNote(file: string): {path: string; stamp: string} | null {
  const cache = module.getCompileCacheDir?.()
  if (!cache || !/\.m?ts$/.test(file)) return null
  try {
    const {size, mtimeMs} = statSync(file)
    return {path: join(cache, 'lode-handlers', sha256Small(Buffer.from(file)).slice(0, 32)), stamp: `${size}:${mtimeMs}`}
  } catch {
    return null
  }
}

function strippedBefore(file: string): boolean {
  const note = strippedNote(file)
  try {
    return note !== null && readFileSync(note.path, 'utf8') === note.stamp
  } catch {
    return false
  }
}

function rememberStripped(file: string): void {
  const note = strippedNote(file)
  if (!note) return
  try {
    mkdirSync(join(note.path, '..'), {recursive: true})
    writeFileSync(note.path, note.stamp)
  } catch {
    // a cache we cannot write only costs the next run the warm-up
  }
}

/**
 * A runner started ahead of its run, for the handler file lode guessed from its arguments: warm up TypeScript's
 * type stripper unless that file was imported unchanged before, then take the run's environment and folder.
 */
function awaitRun(guess: string): void {
  if (/\.m?ts$/.test(guess) && !strippedBefore(guess)) module.stripTypeScriptTypes?.('export const ready: boolean = true')
  const line = readLineSync(Number(process.env[ENV.eventFd]))
  if (line === null) process.exit(0)
  const start = JSON.parse(line) as RunnerStart
  for (const key of Object.keys(process.env)) if (!(key in start.env)) delete process.env[key]
  Object.assign(process.env, start.env)
  process.chdir(start.cwd)
}

/**
 * What the handler left running when it returned: log calls it did not await are waited for (so nothing they log is
 * lost), and timers still pending are reported, since the runner exits now and what they would log is lost.
 */
async function settleLateWork(ctx: Context): Promise<void> {
  const {calls, settled} = ctx.pendingCalls()
  if (calls.length) {
    channel?.send({t: 'warning', message: `the handler returned before ${calls.join(', ')} finished: lode waited for ${calls.length > 1 ? 'them' : 'it'} (await every log call)`})
    await settled
  }
  const timers = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
  if (timers) channel?.send({t: 'warning', message: `the handler returned with ${timers} timer${timers > 1 ? 's' : ''} still pending: whatever ${timers > 1 ? 'they' : 'it'} would log is lost (await the work before returning)`})
}

async function main(): Promise<void> {
  const prestart = process.env[ENV.prestart]
  if (prestart) awaitRun(prestart)
  channel?.shareIdentity()
  if (!channel || !process.env[ENV.spec]) fail('lode runner: started without a run (LODE_RUN_SPEC and LODE_EVENT_FD are set by `lode run`).')
  const spec = JSON.parse(readFileSync(process.env[ENV.spec]!, 'utf8')) as HandlerSpec
  let mod: Record<string, unknown>
  try {
    mod = (await import(pathToFileURL(spec.file!).href)) as Record<string, unknown>
    rememberStripped(spec.file!)
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    const hint = e.code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX'
      ? '\nHint: Node strips types but does not transform enums or parameter properties; use plain objects and fields.'
      : ''
    fail(`Cannot load ${spec.file}: ${e.message}${hint}`, e.stack ? `${e.stack}${hint}` : undefined)
  }
  const functions = Object.keys(mod).filter((k) => typeof mod[k] === 'function')
  let name = spec.handler
  if (!name) {
    if (typeof mod.handler === 'function') name = 'handler'
    else if (typeof mod.default === 'function') name = 'default'
    else if (functions.length === 1) name = functions[0]!
    else fail(`${spec.file} exports ${functions.length ? `several functions (${functions.join(', ')})` : 'no function'}; choose one with --handler NAME or FILE#NAME.`)
  }
  const fn = mod[name]
  if (typeof fn !== 'function') {
    fail(`Handler "${name}" is not an exported function of ${spec.file}. Exported functions: ${functions.join(', ') || '(none)'}.`)
  }
  const ctx = new Context(spec, channel)
  const args: Record<string, unknown> = {...spec.params, ...ctx.inputs}
  let returned: unknown
  try {
    returned = await (fn as (c: Context, a: Record<string, unknown>) => unknown)(ctx, args)
    await ctx.logReturned(returned, name === 'default' ? 'return' : name)
    await settleLateWork(ctx)
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error))
    fail(`${e.name}: ${e.message}`, e.stack)
  }
}

const code = await main().then(() => 0, (error: unknown) => {
  if (error instanceof Exit) return error.code
  throw error
})
await outputHandedOver()
process.exit(code)
