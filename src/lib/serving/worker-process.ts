// The serving module's one place that starts processes: a Python worker holding one model, spoken to in JSON lines
// over its stdin and stdout. Its own process group, ended with lode (SIGTERM on exit, SIGKILL if it lingers).
import {type ChildProcess, spawn} from 'node:child_process'
import {delimiter, join} from 'node:path'
import {createInterface} from 'node:readline'
import {pythonInterpreter, pythonSdkDir} from '../runtimes/python.ts'

export interface WorkerHello {
  pid: number
  algorithm: string
  features: number | null
  feature_names: string[] | null
  classes: (string | number | boolean)[] | null
  has_proba: boolean
}

export interface WorkerAnswer {
  id: number
  predict?: unknown[]
  proba?: number[][] | null
  error?: string
}

export interface WorkerProcess {
  readonly pid: number
  /** What the model takes and gives, once it loaded; rejects with the worker's reason when it did not. */
  readonly ready: Promise<WorkerHello>
  /** Settles when the process is gone, with its last stderr lines. */
  readonly exited: Promise<{code: number | null; signal: string | null; stderr: string}>
  send(line: string): void
  onAnswer(fn: (answer: WorkerAnswer) => void): void
  /** Close its stdin (it exits when done), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>
}

/** Start `python -m lode_serve MODEL_FILE` in `cwd` (the project, so pickles of the project's own classes load). */
export function startPythonWorker(modelFile: string, opts: {cwd: string; python?: string}): WorkerProcess {
  const sdk = pythonSdkDir()
  const env = {...process.env, PYTHONPATH: [sdk, opts.cwd, process.env.PYTHONPATH].filter(Boolean).join(delimiter), PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1'}
  const child = spawn(pythonInterpreter({python: opts.python}), ['-m', 'lode_serve', modelFile], {cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true})
  return wrap(child, join(sdk, 'lode_serve'))
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    child.kill(signal)
  }
}

function wrap(child: ChildProcess, what: string): WorkerProcess {
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-4000)))
  child.stdin?.on('error', () => {}) // a worker that died mid-write: its exit says so
  const onExit = () => signalGroup(child, 'SIGTERM')
  process.once('exit', onExit)
  const exited = new Promise<{code: number | null; signal: string | null; stderr: string}>((resolve) => {
    child.once('error', (e) => {
      if (child.pid === undefined) resolve({code: null, signal: null, stderr: `${e.message}`})
    })
    child.once('close', (code, signal) => {
      process.removeListener('exit', onExit)
      resolve({code, signal, stderr})
    })
  })
  const listeners: ((a: WorkerAnswer) => void)[] = []
  let hello: (h: WorkerHello) => void = () => {}
  let refuse: (e: Error) => void = () => {}
  const ready = new Promise<WorkerHello>((resolve, reject) => {
    hello = resolve
    refuse = reject
  })
  ready.catch(() => {})
  let first = true
  const lines = createInterface({input: child.stdout!, crlfDelay: Infinity})
  lines.on('line', (line) => {
    let msg: Record<string, unknown>
    try {
      msg = JSON.parse(line) as Record<string, unknown>
    } catch {
      stderr = (stderr + `${line}\n`).slice(-4000) // the model printed something: not ours, keep it for the record
      return
    }
    if (first) {
      first = false
      if (msg.ready === true) hello(msg as unknown as WorkerHello)
      else refuse(new Error(String(msg.fatal ?? `unexpected first line from ${what}: ${line.slice(0, 200)}`)))
      return
    }
    for (const fn of listeners) fn(msg as unknown as WorkerAnswer)
  })
  void exited.then((e) => refuse(new Error(e.stderr.trim().split('\n').slice(-5).join('\n') || `the worker exited (${e.signal ?? `code ${e.code}`}) before loading the model`)))
  return {
    get pid() {
      return child.pid ?? -1
    },
    ready,
    exited,
    send: (line) => void child.stdin?.write(`${line}\n`),
    onAnswer: (fn) => void listeners.push(fn),
    async stop(graceMs = 1000) {
      child.stdin?.end()
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    },
  }
}
