// The handler's side of the event pipe: one JSON line per event, written synchronously so none is lost on exit.
// A line longer than one atomic pipe write would tear when several threads or processes write at once: such an
// event goes into a file of the run's event folder, and the line only names it. Without the pipe (closed, replaced,
// or never inherited by a subprocess) events go into that folder alone, and lode reads them when the handler ends.
import {join} from 'node:path'
import {ENV, type HandlerEvent} from '../types.ts'
import {PIPE_BUF} from './protocol.ts'

// node:fs as a builtin, not an ES import: the import's namespace loads fs/promises and streams too (~8 ms of a runner's start)
const {fstatSync, renameSync, writeFileSync, writeSync} = process.getBuiltinModule('node:fs')

/** node:crypto, loaded only for an event too large for the pipe: loading it costs every handler's start ~10 ms. */
const randomHex = () => process.getBuiltinModule('node:crypto').randomBytes(4).toString('hex')

type EventBody = HandlerEvent extends infer E ? (E extends {ts: number} ? Omit<E, 'ts'> : never) : never

/** The pipe's identity, passed down to the handler's subprocesses so they can tell it from another file on fd 3. */
const PIPE_ENV = 'LODE_EVENT_PIPE'

/** dev:inode of fd when it is a pipe or a socket; null for anything else (a file, an epoll fd, a closed fd). */
function pipeIdentity(fd: number): string | null {
  try {
    const st = fstatSync(fd)
    return st.isFIFO() || st.isSocket() ? `${st.dev}:${st.ino}` : null
  } catch {
    return null
  }
}

export class EventChannel {
  readonly #fd: number | null
  readonly #env: NodeJS.ProcessEnv
  readonly #pipe: string | null
  #counter = 0
  #noticed = false

  constructor(fd: number | null, env: NodeJS.ProcessEnv = process.env) {
    this.#fd = fd
    this.#env = env
    const identity = fd === null ? null : pipeIdentity(fd)
    const inherited = env[PIPE_ENV]
    this.#pipe = identity !== null && (!inherited || inherited === identity) ? identity : null
    this.shareIdentity()
  }

  /** Puts the pipe's identity in the environment, for the subprocesses the handler starts. */
  shareIdentity(): void {
    if (this.#pipe) this.#env[PIPE_ENV] = this.#pipe
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): EventChannel | null {
    const fd = Number(env[ENV.eventFd])
    const hasFd = Number.isInteger(fd) && fd > 2
    if (!hasFd && !env[ENV.eventDir]) return null
    return new EventChannel(hasFd ? fd : null, env)
  }

  /** lode's pipe was open when the channel was made */
  get hasPipe(): boolean {
    return this.#pipe !== null
  }

  /** Still lode's pipe: not closed, and not replaced by a file the handler opened on the same number. */
  #pipeOpen(): boolean {
    return this.#pipe !== null && pipeIdentity(this.#fd!) === this.#pipe
  }

  send(event: EventBody): void {
    const line = JSON.stringify({...event, ts: Date.now()}) + '\n'
    const open = this.#pipeOpen()
    const dir = this.#env[ENV.eventDir]
    if (open && (Buffer.byteLength(line) <= PIPE_BUF || !dir)) return this.#write(line)
    if (!dir) return this.#notice(`lode: the run's event pipe (fd ${this.#fd}) is closed or no longer lode's; a "${event.t}" event was lost`)
    const file = this.#writeFile(dir, line)
    if (open) this.#write(`${JSON.stringify({t: 'ref', file})}\n`)
    else this.#notice(`lode: the run's event pipe (fd ${this.#fd ?? 'none'}) is closed or no longer lode's (was it closed or reopened?); events go through ${dir} and lode reads them when the handler ends`)
  }

  #writeFile(dir: string, text: string): string {
    const name = `${Date.now()}-${process.pid}-${String(++this.#counter).padStart(8, '0')}-${randomHex()}.json`
    const tmp = join(dir, `.${name}.tmp`)
    writeFileSync(tmp, text)
    renameSync(tmp, join(dir, name))
    return name
  }

  #notice(message: string): void {
    if (this.#noticed) return
    this.#noticed = true
    process.stderr.write(`${message}\n`)
  }

  #write(line: string): void {
    const buf = Buffer.from(line)
    let off = 0
    while (off < buf.length) {
      try {
        off += writeSync(this.#fd!, buf, off)
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'EAGAIN') continue
        if (code === 'EPIPE' || code === 'EBADF') return // lode is gone; nothing to report to
        throw error
      }
    }
  }
}
