// Errors by who is at fault. One function maps them to exit codes; nothing else calls process.exit.

export const EXIT = {
  ok: 0,
  /** the run ran but did not complete (handler error, missing declared output) */
  runFailed: 1,
  /** bad input from the user: flags, files, references */
  usage: 2,
  /** no lode project found */
  noProject: 3,
  /** a referenced thing does not exist (run, artifact, tag, hub function) */
  notFound: 4,
  /** stored bytes do not match their hash */
  integrity: 5,
  /** an external process failed (not the handler) */
  external: 6,
  /** a remote (S3 API) did not answer, or went away mid-transfer, after retries */
  remoteUnreachable: 10,
  /** a remote refused the credentials (unknown key, bad signature, access denied, none found) */
  remoteAuth: 11,
  /** a remote's bucket does not exist */
  remoteNoBucket: 12,
  /** a remote refused the request because this machine's clock is off */
  clockSkew: 13,
  /** the run was aborted (Ctrl-C, SIGTERM) */
  aborted: 130,
  /** a bug in lode */
  internal: 70,
} as const

export type ErrorCode =
  | 'usage' | 'no_project' | 'not_found' | 'conflict' | 'integrity' | 'external' | 'run_failed' | 'aborted' | 'internal'
  | 'remote_unreachable' | 'remote_auth' | 'remote_no_bucket' | 'clock_skew'

// The class names of a LodeError's hierarchy, on the instance, so that `instanceof` holds even across two
// loaded copies of this module (tests load src/ through a transpiler while spawned code loads dist/).
const KINDS = Symbol.for('lode.errorKinds')

export class LodeError extends Error {
  static [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true
    const kinds = (value as {[KINDS]?: string[]} | null)?.[KINDS]
    return Array.isArray(kinds) && kinds.includes(this.name)
  }

  readonly code: ErrorCode
  readonly hint: string | undefined
  readonly exitCode: number
  readonly details: Record<string, unknown> | undefined

  constructor(code: ErrorCode, message: string, opts: {hint?: string; exitCode?: number; details?: Record<string, unknown>; cause?: unknown} = {}) {
    super(message, opts.cause === undefined ? undefined : {cause: opts.cause})
    this.name = 'LodeError'
    const kinds: string[] = []
    for (let c: Function | null = new.target; c && c !== Error; c = Object.getPrototypeOf(c) as Function | null) kinds.push(c.name)
    Object.defineProperty(this, KINDS, {value: kinds, enumerable: false})
    this.code = code
    this.hint = opts.hint
    this.exitCode = opts.exitCode ?? exitCodeFor(code)
    this.details = opts.details
  }
}

/** The user gave something wrong: a flag, a file, a reference. */
export class UserError extends LodeError {
  constructor(message: string, hint?: string, opts: {exitCode?: number; code?: ErrorCode; details?: Record<string, unknown>} = {}) {
    super(opts.code ?? 'usage', message, {hint, exitCode: opts.exitCode, details: opts.details})
    this.name = 'UserError'
  }
}

export class NotFoundError extends LodeError {
  constructor(message: string, hint?: string) {
    super('not_found', message, {hint})
    this.name = 'NotFoundError'
  }
}

export class IntegrityError extends LodeError {
  constructor(message: string, hint = 'Run: lode artifacts verify', details?: Record<string, unknown>) {
    super('integrity', message, {hint, details})
    this.name = 'IntegrityError'
  }
}

/** A process other than the handler failed; carries the command and the tail of its stderr. */
export class ExternalError extends LodeError {
  constructor(command: string, stderrTail: string, hint?: string) {
    super('external', `${command} failed${stderrTail ? `:\n${stderrTail}` : ''}`, {hint, details: {command}})
    this.name = 'ExternalError'
  }
}

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'usage':
    case 'conflict':
      return EXIT.usage
    case 'no_project':
      return EXIT.noProject
    case 'not_found':
      return EXIT.notFound
    case 'integrity':
      return EXIT.integrity
    case 'external':
      return EXIT.external
    case 'run_failed':
      return EXIT.runFailed
    case 'aborted':
      return EXIT.aborted
    case 'internal':
      return EXIT.internal
    case 'remote_unreachable':
      return EXIT.remoteUnreachable
    case 'remote_auth':
      return EXIT.remoteAuth
    case 'remote_no_bucket':
      return EXIT.remoteNoBucket
    case 'clock_skew':
      return EXIT.clockSkew
  }
}

/** Anything that is not a LodeError is a bug in lode, and says so. */
export function toLodeError(err: unknown): LodeError {
  if (err instanceof LodeError) return err
  const e = err instanceof Error ? err : new Error(String(err))
  // SQLite says a full disk as SQLITE_FULL (13) "database or disk is full"
  if ((e as NodeJS.ErrnoException).code === 'ENOSPC' || (((e as {errcode?: number}).errcode ?? -1) & 0xff) === 13) {
    return new LodeError('external', `No space left on device: ${e.message}`, {hint: 'Free some disk space, then run: lode artifacts gc', cause: e})
  }
  // SQLITE_BUSY (5) and SQLITE_LOCKED (6): another lode process held the store's write lock past the busy timeout
  const sqlite = e as Error & {code?: string; errcode?: number}
  if (sqlite.code === 'ERR_SQLITE_ERROR' && (sqlite.errcode === 5 || sqlite.errcode === 6)) {
    return new LodeError('conflict', `The store is busy: another lode process held its lock for more than 10 s (${e.message}).`, {
      hint: 'Try again when the other lode command (a large gc or rm?) has finished.',
      cause: e,
    })
  }
  return new LodeError('internal', `Internal error (a bug in lode): ${e.message}`, {
    hint: 'Set DEBUG=lode to see the stack, and please report it.',
    ...(process.env.DEBUG ? {details: {stack: e.stack}} : {}),
    cause: e,
  })
}
