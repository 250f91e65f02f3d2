import {Command, Flags, type Interfaces} from '#oclif'
import type {LodeError} from './errors.ts'
import type {Project} from './project/project.ts'
import {errorJson, formatError, fromAnyError, jsonEnvelopeText} from './command-output.ts'

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

export {errorJson, formatError, fromAnyError, jsonEnvelopeText}
