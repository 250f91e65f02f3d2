// How to start a Python handler: the interpreter, the runner script and the environment it needs.
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {delimiter, dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {UserError} from '../errors.ts'
import {ENV, type HandlerSpec} from '../types.ts'

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
  const sdkDir = pythonSdkDir()
  const pythonPath = [sdkDir, dirname(spec.file), process.env.PYTHONPATH].filter((p): p is string => Boolean(p))
  return {
    command: pythonInterpreter(opts),
    args: ['-u', join(sdkDir, RUNNER)],
    env: {
      [ENV.spec]: specPath,
      [ENV.eventFd]: '3',
      [ENV.runUid]: spec.uid,
      [ENV.outputDir]: spec.stagingDir,
      PYTHONPATH: pythonPath.join(delimiter),
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
    },
  }
}

/** Fails with a UserError when the interpreter cannot be started or is older than lode's runner needs. */
export async function checkPython(python: string): Promise<void> {
  const probe = 'import sys; print("%d.%d" % sys.version_info[:2])'
  const version = await new Promise<string>((resolve, reject) => {
    execFile(python, ['-c', probe], {timeout: 30_000}, (err, stdout, stderr) => {
      if (!err) return resolve(stdout.trim())
      const code = (err as NodeJS.ErrnoException).code
      const why =
        code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not executable' : (stderr.trim().split('\n').slice(-3).join('\n') || err.message)
      reject(new UserError(`Cannot start the Python interpreter "${python}": ${why}`, CHOOSE_HINT))
    })
  })
  const [major, minor] = version.split('.').map(Number)
  if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) {
    throw new UserError(`"${python}" did not answer like a Python interpreter (printed "${version}")`, CHOOSE_HINT)
  }
  if (major < MIN_VERSION[0] || (major === MIN_VERSION[0] && minor < MIN_VERSION[1])) {
    throw new UserError(`"${python}" is Python ${version}; lode needs Python ${MIN_VERSION.join('.')} or newer`, CHOOSE_HINT)
  }
}
