// How to start a Python handler: the interpreter, the runner script and the environment it needs.
import {existsSync, mkdirSync, readFileSync, realpathSync, statSync} from '../util/fs.ts'
import {delimiter, dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {UserError} from '../errors.ts'
import {ENV, type HandlerSpec} from '../types.ts'
import {defaultCacheDir} from '../util/cache-dir.ts'

export interface PythonLaunchPlan {
  command: string
  args: string[]
  /** variables to add to the inherited environment */
  env: Record<string, string>
}

const RUNNER = 'lode_runner.py'
const MIN_VERSION: readonly [number, number] = [3, 8]
const CHOOSE_HINT = 'Choose another interpreter with --python /path/to/python3 or LODE_PYTHON=/path/to/python3'

/** The interpreter to use: the --python flag, else LODE_PYTHON, else python3 on PATH. */
export function pythonInterpreter(opts: {python?: string} = {}): string {
  return opts.python ?? process.env.LODE_PYTHON ?? 'python3'
}

/**
 * The folder holding the `lode` package and the runner. The .py files stay in src/ (the published package ships
 * src/lib/runtimes/python), so from dist/lib/runtimes/python.js it is ../../../src/lib/runtimes/python.
 */
export function pythonSdkDir(): string {
  const here = dirname(fileURLToPath(import.meta.url))
  const candidates = [join(here, 'python'), join(here, '..', '..', '..', 'src', 'lib', 'runtimes', 'python')]
  const found = candidates.find((dir) => existsSync(join(dir, RUNNER)))
  if (!found) throw new Error(`lode's Python runner is missing: looked for ${RUNNER} in ${candidates.join(' and ')}`)
  return found
}

export function planPython(spec: HandlerSpec, specPath: string, opts: {python?: string} = {}): PythonLaunchPlan {
  if (!spec.file) throw new UserError('A python function needs a .py file', 'Run: lode run path/to/handler.py#handler')
  const runner = planPythonRunner(spec.file, opts)
  return {...runner, env: {...runner.env, [ENV.spec]: specPath, [ENV.runUid]: spec.uid, [ENV.outputDir]: spec.stagingDir}}
}

/** The runner's command and the environment it starts with, for a handler file (before its run is known). */
export function planPythonRunner(file: string, opts: {python?: string} = {}): PythonLaunchPlan {
  const sdkDir = pythonSdkDir()
  const pythonPath = [sdkDir, dirname(file), process.env.PYTHONPATH].filter((p): p is string => Boolean(p))
  return {
    command: pythonInterpreter(opts),
    args: ['-u', join(sdkDir, RUNNER), '--bytecode-cache', join(defaultCacheDir(), 'python-bytecode')],
    env: {[ENV.eventFd]: '3', PYTHONPATH: pythonPath.join(delimiter), PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1'},
  }
}

/**
 * Fails with a UserError when the interpreter cannot be started or is older than lode's runner needs. An answer is
 * remembered in lode's user cache by the interpreter's path, size and modification time, so a run pays for the
 * Python start-up only when the interpreter is new or changed.
 */
export async function checkPython(python: string): Promise<void> {
  const stamp = interpreterStamp(python)
  const cachePath = join(defaultCacheDir(), 'python-checks.json')
  const cache = readChecks(cachePath)
  if (stamp && cache[stamp]) return
  const version = await askVersion(python)
  if (!stamp) return
  try {
    mkdirSync(dirname(cachePath), {recursive: true})
    // loaded here, once per new interpreter: this module is loaded before a runner is pre-started, which it would delay
    const {writeFileAtomic} = await import('../project/project-file.ts')
    writeFileAtomic(cachePath, JSON.stringify({...readChecks(cachePath), [stamp]: version}))
  } catch {
    /* a read-only cache: asked again next time */
  }
}

/** The interpreter a Python function will run with (--python, its lode.yaml python:, LODE_PYTHON, python3), checked. */
export async function checkPythonOf(fn: {python?: string}, python: string | undefined): Promise<void> {
  await checkPython(pythonInterpreter({python: python ?? fn.python}))
}

async function askVersion(python: string): Promise<string> {
  const {runQuick} = await import('../executor/spawn.ts')
  const r = await runQuick(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {group: true})
  if (r.failure || r.exitCode !== 0) {
    const code = r.failure?.code
    if (code === 'ETIMEDOUT') throw new UserError(`The Python interpreter "${python}" ${r.failure?.message} (asked for its version); it was stopped.`, CHOOSE_HINT)
    const why = code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not executable' : (r.stderr.trim().split('\n').slice(-3).join('\n') || r.failure?.message || `exit code ${r.exitCode}`)
    throw new UserError(`Cannot start the Python interpreter "${python}": ${why}`, CHOOSE_HINT)
  }
  const version = r.stdout.trim()
  const [major, minor] = version.split('.').map(Number)
  if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) {
    throw new UserError(`"${python}" did not answer like a Python interpreter (printed "${version}")`, CHOOSE_HINT)
  }
  if (major < MIN_VERSION[0] || (major === MIN_VERSION[0] && minor < MIN_VERSION[1])) {
    throw new UserError(`"${python}" is Python ${version}; lode needs Python ${MIN_VERSION.join('.')} or newer`, CHOOSE_HINT)
  }
  return version
}

/** "real path:size:mtime" of the interpreter (found on PATH when given a bare name); null when it cannot be found. */
function interpreterStamp(python: string): string | null {
  const candidates = python.includes('/') ? [resolve(python)] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, python))
  for (const candidate of candidates) {
    try {
      const real = realpathSync(candidate)
      const st = statSync(real)
      if (st.isFile() && st.mode & 0o111) return `${real}:${st.size}:${st.mtimeMs}`
    } catch {
      /* not this one */
    }
  }
  return null
}

function readChecks(path: string): Record<string, string> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>
  } catch {
    return {}
  }
}
