// The library API: Project.open(dir), project.run(fn, {handler, params, inputs, outputs}) -> a recorded run.
import {existsSync, mkdirsSync, statSync, writeFileSync} from '../util/fs.ts'
import {basename, join, resolve, sep} from 'node:path'
import {UserError} from '../errors.ts'
import type {ExecuteOptions} from '../executor/execute.ts'
import type {ResolvedFunction} from '../executor/resolve-function.ts'
import type {SweepOptions, SweepResult} from '../hyper/sweep.ts'
import {Store} from '../store/store.ts'
import {isStale} from '../runs/liveness.ts'
import type {FunctionKind, JsonValue, Run} from '../types.ts'
import {CONFIG_FILE, STORE_DIR, findProject, loadYaml, readConfig, type ProjectConfig} from './project-file.ts'
import {writeTypeConfig} from './tsconfig.ts'

export interface RunOptions extends Omit<ExecuteOptions, 'fn' | 'inputs'> {
  handler?: string
  kind?: FunctionKind
  /** exec: the command and its arguments */
  command?: string[]
  /** input name -> a path, file://, store:// URI, KEY[:TAG], RUN/OUTPUT, or another run's output URI */
  inputs?: Record<string, string>
  hubs?: string[]
  /** a hyperparameter run: param -> the values to try; each iteration is a child run, and the parent is returned */
  hyperparams?: Record<string, JsonValue[]>
  /** how to sweep them (MLRun's HyperParamOptions): strategy, selector, stopCondition, maxErrors, parallel, maxIterations, seed */
  hyperOptions?: HyperParamOptions
  /** a sweep's memoization (workflow steps): iterations that ran before are reused */
  reuse?: SweepOptions['reuse']
}

export interface HyperParamOptions {
  strategy?: 'grid' | 'list' | 'random'
  /** `max.accuracy`, `min.loss` */
  selector?: string
  /** e.g. `accuracy >= 0.95` */
  stopCondition?: string
  maxErrors?: number
  parallel?: number
  maxIterations?: number
  seed?: number
}

/** A finished run: state, results, and outputs (output key -> pinned store:// URI or result value). */
export type RunHandle = Run

/** Cluster jobs whose lode went away and that have ended since are recorded now (one indexed query when there are none). */
async function reconcileDetachedJobs(store: Store): Promise<void> {
  if (store.readOnly) return
  const detached = store.runs.liveJobs().filter(isStale)
  if (detached.length) await (await import('../runs/attach.ts')).reconcileJobs(store, detached)
}

/** The project's folder, made where missing; a path that is a file, or where no folder can be made, is bad input. */
function makeProjectDir(root: string): void {
  try {
    const st = statSync(root, {throwIfNoEntry: false})
    if (st?.isDirectory()) return
    if (st) throw new UserError(`${root} exists and is not a folder.`, 'Give lode init a folder, or a path where one can be made.')
    mkdirsSync(root)
  } catch (error) {
    if (error instanceof UserError) throw error
    // the message up to its first comma: the errno's words
    throw new UserError(`Cannot make the project folder ${root}: ${(error as Error).message.split(',')[0]}.`, 'Give lode init a path in a folder you can write.')
  }
}

export class Project {
  readonly dir: string
  readonly config: ProjectConfig
  readonly store: Store

  private constructor(dir: string, config: ProjectConfig, store: Store) {
    this.dir = dir
    this.config = config
    this.store = store
  }

  get name(): string {
    return this.config.name
  }

  /** Open the project at `dir` or the nearest folder above it holding lode.yaml. */
  static async open(dir: string = process.cwd(), opts: {explicit?: string} = {}): Promise<Project> {
    const loc = findProject(dir, opts.explicit)
    const config = readConfig(loc.configPath)
    const store = Store.open(loc.storeDir, config.name)
    // bytes only on a remote are fetched when used; the remote code loads only then
    if (config.remotes) store.objects.fetchMissing = async (shas) => (await import('../remote/fetch-object.ts')).fetchObjects(store, config, shas)
    await reconcileDetachedJobs(store)
    return new Project(loc.dir, config, store)
  }

  /** Write lode.yaml and an empty store; with `typescript`, a tsconfig.json too when the folder has none. */
  static init(dir: string, opts: {name?: string; typescript?: boolean} = {}): {dir: string; name: string; created: boolean; tsconfig: string | null} {
    const root = resolve(dir)
    if (opts.name !== undefined && !/^[a-z0-9][a-z0-9_.-]*$/i.test(opts.name)) {
      throw new UserError(`Invalid project name "${opts.name}": use letters, digits, '-', '_' and '.', starting with a letter or digit.`)
    }
    // a store's folder is lode's alone: a project made in it would be emptied by gc, or taken for damage
    const store = root.split(sep).indexOf(STORE_DIR)
    if (store >= 0) throw new UserError(`Refusing to make a project inside a store: ${root} is in ${root.split(sep).slice(0, store + 1).join(sep)}.`, 'Give lode init a folder outside .lode/.')
    makeProjectDir(root)
    const configPath = join(root, CONFIG_FILE)
    if (existsSync(configPath)) {
      const config = readConfig(configPath)
      Store.open(join(root, STORE_DIR), config.name).close()
      return {dir: root, name: config.name, created: false, tsconfig: opts.typescript ? writeTypeConfig(root) : null}
    }
    const name = opts.name ?? (basename(root).toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'project')
    if (!/^[a-z0-9][a-z0-9_.-]*$/i.test(name)) throw new UserError(`Invalid project name "${name}": use letters, digits, '-', '_' and '.'.`)
    writeFileSync(configPath, `# lode project (see lode --help)\nname: ${loadYaml().stringify(name).trim()}\n\n# functions:\n#   train: {file: train.ts, handler: train}\n#   build: {command: [make, build]}\n`)
    Store.open(join(root, STORE_DIR), name).close()
    writeFileSync(join(root, STORE_DIR, '.gitignore'), '*\n')
    return {dir: root, name, created: true, tsconfig: opts.typescript ? writeTypeConfig(root) : null}
  }

  async resolveFunction(ref: string | undefined, opts: {handler?: string; kind?: FunctionKind; command?: string[]; hubs?: string[]} = {}): Promise<ResolvedFunction> {
    // The executor (and execa) load only when something runs, to keep the other commands' start-up small.
    const {resolveFunction} = await import('../executor/resolve-function.ts')
    return resolveFunction(this.dir, this.config, {ref, ...opts})
  }

  /**
   * Run a handler to its end and record it. A failed run is returned with state 'error', not thrown. With `hyperparams`,
   * a sweep: the parent run is returned, with `hyper` (options, best iteration) and `iterations`.
   */
  async run(fn: string | ResolvedFunction | undefined, opts: RunOptions = {}): Promise<RunHandle> {
    this.store.assertWritable()
    if (opts.hyperparams && Object.keys(opts.hyperparams).length) {
      const [{hyperOptions}, {sweepRecord}] = await Promise.all([import('../hyper/options.ts'), import('../hyper/run-command.ts')])
      const {hyperparams, hyperOptions: h = {}, onCreated, onOutput, ...rest} = opts
      const hyper = hyperOptions({hyperparams, ...h}, opts.params ?? {})
      const {run, summary} = await this.sweep(fn, {
        ...rest, hyper, ...(onCreated ? {onParent: (parent) => onCreated(parent)} : {}),
        ...(onOutput ? {onChildOutput: (_child, stream, chunk) => onOutput(stream, chunk)} : {}),
      })
      return sweepRecord(run, summary)
    }
    const resolved = typeof fn === 'object' ? fn : await this.resolveFunction(fn, opts)
    const inputs: Record<string, string> = {}
    for (const [k, v] of Object.entries(opts.inputs ?? {})) inputs[k] = String(v)
    const {executeRun} = await import('../executor/execute.ts')
    return executeRun(this.store, this.dir, {...opts, fn: resolved, inputs, params: opts.params as Record<string, JsonValue> | undefined})
  }

  /** A hyperparameter run: the parent run (returned with its summary) and its iterations, recorded as child runs. */
  async sweep(fn: string | ResolvedFunction | undefined, opts: Omit<SweepOptions, 'fn' | 'inputs'> & Pick<RunOptions, 'handler' | 'kind' | 'command' | 'hubs' | 'inputs'>): Promise<SweepResult> {
    this.store.assertWritable()
    const resolved = typeof fn === 'object' ? fn : await this.resolveFunction(fn, opts)
    const inputs: Record<string, string> = {}
    for (const [k, v] of Object.entries(opts.inputs ?? {})) inputs[k] = String(v)
    const {runSweep} = await import('../hyper/sweep.ts')
    return runSweep(this.store, this.dir, {...opts, fn: resolved, inputs})
  }

  close(): void {
    this.store.close()
  }
}
