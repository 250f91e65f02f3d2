// `lode log ...` inside a running handler's process: the run is found through the environment.
import {copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, watch} from '../util/fs.ts'
import {basename, join, relative, resolve, sep} from 'node:path'
import {NotFoundError, UserError} from '../errors.ts'
import {specialKindOf} from '../util/file-kind.ts'
import {ENV, type HandlerSpec, type JsonValue} from '../types.ts'
import {EventChannel} from './channel.ts'
import {Context} from './context.ts'
import {keyFileName} from '../artifacts/keys.ts'

export function contextFromEnv(env: NodeJS.ProcessEnv = process.env): Context {
  const specPath = env[ENV.spec]
  const channel = EventChannel.fromEnv(env)
  if (!specPath || !channel) {
    throw new UserError('`lode log` works only inside a running handler: LODE_RUN_SPEC and LODE_EVENT_FD (or LODE_EVENT_DIR) are not set here.', 'Run your script through lode, e.g.: lode run train.sh   or   lode run --kind exec -- ./train.sh')
  }
  // without lode's pipe on fd 3 (a subprocess that did not inherit it), the channel writes into the run's event folder
  const dir = env[ENV.eventDir]
  if (!channel.hasPipe && (!dir || !existsSync(dir))) {
    throw new UserError(`The run's event pipe (fd ${env[ENV.eventFd] ?? 'none'}) is not open in this process${dir ? ` and its event folder ${dir} is gone (has the run ended?)` : ''}.`,
      'Call lode log from a process of a running handler, without closing fd 3 (or keep LODE_EVENT_DIR in its environment).')
  }
  let spec: HandlerSpec
  try {
    spec = JSON.parse(readFileSync(specPath, 'utf8')) as HandlerSpec
  } catch (error) {
    throw new UserError(`Cannot read the run spec ${specPath}: ${(error as Error).message}`)
  }
  return new Context(spec, channel)
}

/** `lode log artifact KEY PATH` (the oclif command and the lean path of src/cli-log.ts): lode copies the file, or it is staged. */
export async function logArtifactCommand(key: string, path: string, flags: {kind?: string; format?: string; label?: string[]}): Promise<{key: string; path: string}> {
  const {parseLabelFlags} = await import('../executor/params.ts')
  const ctx = contextFromEnv()
  const opts = {format: flags.format, labels: parseLabelFlags(flags.label), kind: (flags.kind ?? 'artifact') as 'artifact'}
  if (!(await logThroughLode(ctx, key, path, opts))) await ctx.logArtifact(key, {localPath: stageCopy(ctx, key, path)}, opts)
  return {key, path}
}

/** `lode log result KEY VALUE` (the oclif command and the lean path): VALUE read as JSON where it parses. */
export async function logResultCommand(key: string, text: string): Promise<{key: string; value: JsonValue}> {
  const {parseParamValue} = await import('../executor/params.ts')
  const value = parseParamValue(text)
  contextFromEnv().logResult(key, value)
  return {key, value}
}

/** Stage a copy (not a link: the store moves and seals what is staged) so the script may change or delete its file right after logging it. */
export function stageCopy(ctx: Context, key: string, path: string): string {
  const src = loggable(path)
  if (statSync(src).isDirectory()) return src
  const dir = join(ctx.artifactPath, `log-${process.pid}-${Date.now()}`)
  mkdirSync(dir, {recursive: true})
  const target = join(dir, `${keyFileName(key)}-${basename(src)}`)
  copyFileSync(src, target)
  return target
}

/** The absolute path of a file or folder `lode log` may read; refused before a byte is read when it is missing or special (a FIFO waits for a writer, /dev/zero never ends). */
function loggable(path: string): string {
  const src = resolve(path)
  if (!existsSync(src)) throw new NotFoundError(`No such file or directory: ${path}`, 'Check the path (relative paths are from the working directory).')
  const special = specialKindOf(src)
  if (special) throw new UserError(`${path} is ${special}, not a file or a folder: only files and folders are logged as artifacts.`, 'Write what it gives into a file first, then log that file.')
  return src
}

/**
 * `lode log artifact` of a file outside the staging area: lode itself copies it while hashing it (one pass) and answers
 * in a file of the staging area; this returns once it has, so the artifact is what the file held when logged. false:
 * lode cannot answer here (no pipe to it, or its pid unknown: events through files, a cluster job), so the caller
 * stages a copy as before.
 */
export async function logThroughLode(ctx: Context, key: string, path: string, opts: {format?: string; labels?: Record<string, string>; kind?: 'artifact' | 'plot' | 'dir'}, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const src = loggable(path)
  const pid = Number(env[ENV.lodePid])
  const rel = relative(ctx.artifactPath, src)
  const staged = rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep)
  if (staged || opts.kind === 'dir' || !statSync(src).isFile() || !Number.isInteger(pid) || pid <= 0 || !EventChannel.fromEnv(env)?.hasPipe) return false
  if (!isAlive(pid)) throw lodeGone(pid, path)
  const dir = join(ctx.artifactPath, `log-${process.pid}-${Date.now()}`)
  mkdirSync(dir, {recursive: true})
  const ack = join(dir, 'ack')
  // woken by lode's answer as it lands; a look every 250 ms besides, at the answer and at whether lode still lives
  let wake = () => {}
  const watcher = watch(dir, () => wake())
  try {
    await ctx.logArtifact(key, {localPath: src}, {...opts, ack})
    for (;;) {
      const answer = readAnswer(ack) ?? (isAlive(pid) ? null : (readAnswer(ack) ?? 'gone'))
      if (answer === 'ok') return true
      if (answer === 'gone') throw lodeGone(pid, path)
      if (answer !== null) throw new UserError(`Artifact "${key}": lode could not copy ${path}: ${answer.replace(/^error: /, '')}`, 'Check that the file exists and is readable, then log it again.')
      await new Promise<void>((done) => {
        const timer = setTimeout(done, 250)
        wake = () => {
          clearTimeout(timer)
          done()
        }
      })
    }
  } finally {
    watcher.close()
    rmSync(dir, {recursive: true, force: true})
  }
}

function readAnswer(ack: string): string | null {
  try {
    return readFileSync(ack, 'utf8').trim()
  } catch {
    return null
  }
}

/** A process that exists and is not a zombie (a killed lode its parent has not reaped yet). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  if (process.platform !== 'linux') return true
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true
  }
}

function lodeGone(pid: number, path: string): UserError {
  return new UserError(`lode (pid ${pid}), which runs this handler, ended before it took ${path}: the artifact was not logged.`, 'The run was interrupted (see lode runs ls); run it again.')
}
