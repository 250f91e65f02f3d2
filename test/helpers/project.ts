// Real temp projects and the real CLI for tests.
import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {spawn, spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import {Project} from '../../src/lib/project/project.ts'
import {Store} from '../../src/lib/store/store.ts'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BIN = join(ROOT, 'bin', 'run.js')

export function tempDir(prefix = 'lode-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/**
 * A store of its own in a new temp folder for each test of the calling `describe`: `t.store` and `t.dir` inside a test
 * (which may replace both; whatever they are after the test is closed and removed).
 */
export function eachTempStore(project = 'p'): {store: Store; dir: string} {
  const t = {} as {store: Store; dir: string}
  beforeEach(() => {
    t.dir = tempDir()
    t.store = Store.open(t.dir, project)
  })
  afterEach(() => {
    t.store.close()
    rmSync(t.dir, {recursive: true, force: true})
  })
  return t
}

export async function tempProject(name = 't'): Promise<{dir: string; project: Project; write: (rel: string, text: string) => string; cleanup: () => void}> {
  const dir = tempDir()
  Project.init(dir, {name})
  const project = await Project.open(dir)
  const write = (rel: string, text: string) => {
    const p = join(dir, rel)
    mkdirSync(dirname(p), {recursive: true})
    writeFileSync(p, text)
    return p
  }
  return {dir, project, write, cleanup: () => {
    project.close()
    rmSync(dir, {recursive: true, force: true})
  }}
}

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Run the real `lode` (bin/run.js) in a directory. */
export function lode(args: string[], opts: {cwd: string; env?: Record<string, string>; input?: string} = {cwd: process.cwd()}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd,
    env: {...process.env, NODE_ENV: '', CI: '1', NO_COLOR: '1', ...opts.env},
    encoding: 'utf8',
    input: opts.input,
    timeout: 120_000,
  })
  return {code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr}
}

export function lodeAsync(args: string[], opts: {cwd: string; env?: Record<string, string>}): Promise<CliResult> & {child: ReturnType<typeof spawn>} {
  const child = spawn(process.execPath, [BIN, ...args], {cwd: opts.cwd, env: {...process.env, NODE_ENV: '', CI: '1', NO_COLOR: '1', ...opts.env}})
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
  const p = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({code, signal, stdout, stderr}))) as Promise<CliResult> & {child: typeof child}
  p.child = child
  return p
}

export function json<T = any>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`)
  }
}

/** Gone, or a zombie nobody reaped yet (PID 1 in a container may not reap orphans). */
export async function isGone(pid: number, waitMs = 10_000): Promise<boolean> {
  const until = Date.now() + waitMs
  for (;;) {
    let state = ''
    try {
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] ?? ''
    } catch {
      return true
    }
    if (state === 'Z') return true
    if (Date.now() > until) return false
    await new Promise((r) => setTimeout(r, 100))
  }
}


/**
 * Polls `condition` until it holds or `timeoutMs` passes; returns whether it held. Tests wait for a state this way,
 * never for a fixed time: a loaded machine only makes the wait longer.
 */
export async function waitUntil(condition: () => boolean, timeoutMs = 10_000, everyMs = 20): Promise<boolean> {
  const until = Date.now() + timeoutMs
  for (;;) {
    if (condition()) return true
    if (Date.now() > until) return false
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

/** Run an ES module given as text in a fresh `node`, in a directory. */
export function nodeScript(source: string, cwd: string): Promise<CliResult> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], {cwd, env: {...process.env, NODE_ENV: ''}})
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({code, signal, stdout, stderr})))
}

/** Processes whose environment holds LODE_TEST_MARK=mark (Linux /proc), this one left out. */
export function processesMarked(mark: string): number[] {
  const found: number[] = []
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`LODE_TEST_MARK=${mark}`)) found.push(Number(pid))
    } catch {
      // gone, or not ours to read
    }
  }
  return found.filter((pid) => pid !== process.pid)
}

/** A project made by `lode init` in a new temp folder, with `files` written into it; removeProject deletes both. */
export function newProject(files: Record<string, string> = {}): string {
  const root = tempDir()
  const r = lode(['init', 'p'], {cwd: root})
  if (r.code !== 0) throw new Error(`lode init failed: ${r.stderr}`)
  const dir = join(root, 'p')
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

export function removeProject(dir: string): void {
  rmSync(join(dir, '..'), {recursive: true, force: true})
}
