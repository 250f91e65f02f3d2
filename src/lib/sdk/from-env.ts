// `lode log ...` inside a running handler's process: the run is found through the environment.
import {copyFileSync, existsSync, mkdirSync, readFileSync, statSync} from 'node:fs'
import {basename, join, resolve} from 'node:path'
import {NotFoundError, UserError} from '../errors.ts'
import {ENV, type HandlerSpec} from '../types.ts'
import {EventChannel} from './channel.ts'
import {Context} from './context.ts'
import {keyFileName} from '../artifacts/keys.ts'
import {specialKindOf} from '../util/file-kind.ts'

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

/** Stage a copy (not a link: the store moves and seals what is staged) so the script may change or delete its file right after logging it. */
export function stageCopy(ctx: Context, key: string, path: string): string {
  const src = resolve(path)
  if (!existsSync(src)) throw new NotFoundError(`No such file or directory: ${path}`, 'Check the path (relative paths are from the working directory).')
  // a FIFO would be read forever (waiting for a writer), a device such as /dev/zero never ends
  const special = specialKindOf(src)
  if (special) throw new UserError(`${path} is ${special}, not a file or a folder: only files and folders are logged.`, 'Write the data to a file first, then log that file.')
  if (statSync(src).isDirectory()) return src
  const dir = join(ctx.artifactPath, `log-${process.pid}-${Date.now()}`)
  mkdirSync(dir, {recursive: true})
  const target = join(dir, `${keyFileName(key)}-${basename(src)}`)
  copyFileSync(src, target)
  return target
}
