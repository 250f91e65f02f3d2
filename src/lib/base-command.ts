import {Command, Flags, type Interfaces} from '#oclif'
import {LodeError, UserError, toLodeError} from './errors.ts'
import type {Project} from './project/project.ts'
import {escapeControls, escapeJsonControls} from './views/format.ts'

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * Every lode command: `--json` prints one envelope on stdout ({ok: true, data} or {ok: false, error}),
 * `--project`/LODE_PROJECT choose the project, and one catch() maps errors to exit codes.
 */
export abstract class BaseCommand<T extends typeof Command> extends Command {
  static enableJsonFlag = true
  static baseFlags = {
    project: Flags.string({
      description: 'project directory (default: found by walking up from the working directory)',
      env: 'LODE_PROJECT',
      helpGroup: 'GLOBAL',
    }),
  }

  protected flags!: CommandFlags<T>
  protected args!: CommandArgs<T>

  async init(): Promise<void> {
    await super.init()
    const {args, flags} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    })
    this.flags = flags as CommandFlags<T>
    this.args = args as CommandArgs<T>
  }

  /** The project named by --project / LODE_PROJECT, or found by walking up from the working directory. */
  protected async openProject(): Promise<Project> {
    const {Project} = await import('./project/project.ts')
    const explicit = (this.flags as {project?: string}).project
    return Project.open(process.cwd(), {explicit})
  }

  /** Human output on stdout; silent under --json, where the returned object is printed instead. */
  protected out(text: string): void {
    if (!this.jsonEnabled()) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
  }

  /** Notes, progress and warnings on stderr, never mixed with results. */
  protected note(text: string): void {
    process.stderr.write(text.endsWith('\n') ? text : `${text}\n`)
  }

  /**
   * The answer of a command whose work ran but did not succeed (a failed run): under --json the error envelope,
   * with the result in its details, so that `jq -e .ok` works; otherwise the result as usual and the exit code.
   */
  protected settle<R>(result: R, failure: LodeError | null): R {
    if (failure && this.jsonEnabled()) throw failure
    if (failure) process.exitCode = failure.exitCode
    return result
  }

  protected toSuccessJson(result: unknown): unknown {
    return {ok: true, data: result}
  }

  /** The envelope as indented JSON. (oclif's own logJson re-tokenizes it to colour it, ~10 ms for a list.) */
  logJson(json: unknown): void {
    process.stdout.write(jsonEnvelopeText(json))
  }

  async catch(err: Error & {oclif?: {exit?: number}; exitCode?: number}): Promise<void> {
    const lodeErr = fromAnyError(err, this.id?.replaceAll(':', ' '))
    process.exitCode = lodeErr.exitCode
    if (this.jsonEnabled()) {
      this.logJson({ok: false, error: errorJson(lodeErr)})
      return
    }
    process.stderr.write(formatError(lodeErr))
  }
}

/**
 * Indented JSON safe on a terminal: JSON.stringify leaves DEL, C1 controls (U+009B is a CSI), bidi controls and line
 * separators raw; they are written as \u escapes, the same JSON value.
 */
export function jsonEnvelopeText(json: unknown): string {
  return `${escapeJsonControls(JSON.stringify(json, null, 2))}\n`
}

/** oclif's own parse errors (unknown flag, missing argument) are the user's, not bugs. */
export function fromAnyError(err: unknown, command?: string): LodeError {
  if (err instanceof LodeError) return err
  const e = err as Error & {oclif?: {exit?: number}}
  if (e && typeof e === 'object' && 'oclif' in e && e.oclif) {
    const msg = e.message.replace(/\n\s*See more help with --help$/, '').replace(/\n\s+/g, ' ')
    return new UserError(msg, `See: lode ${command ?? '<command>'} --help`, {exitCode: e.oclif.exit === 0 ? 0 : 2})
  }
  return toLodeError(err)
}

export function errorJson(e: LodeError): Record<string, unknown> {
  return {code: e.code, message: e.message, hint: e.hint ?? null, exitCode: e.exitCode, ...(e.details ? {details: e.details} : {})}
}

/** An error for the terminal: what it quotes (a hub's text, a file's) is shown with its control characters escaped. */
export function formatError(e: LodeError): string {
  let text = `Error: ${escapeControls(e.message, {multiline: true})}\n`
  if (e.hint) text += `Hint: ${escapeControls(e.hint, {multiline: true})}\n`
  if (e.code === 'internal' && e.details?.stack) text += `${String(e.details.stack)}\n`
  return text
}
