// Test helper: run a Python handler through lode's runner in a real process, fd 3 a pipe, as the executor does.
import {spawn, spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {planPython} from '../../../../src/lib/runtimes/python.ts'
import type {ArtifactEvent, HandlerEvent, HandlerSpec, JsonValue} from '../../../../src/lib/types.ts'

/** The interpreter the tests use: Debian's, which has pandas and scikit-learn. */
export const TEST_PYTHON = process.env.LODE_TEST_PYTHON ?? '/usr/bin/python3'

/** Whether python can find each module (without importing it, which is slow for scikit-learn). */
export function pythonHas(python: string, ...modules: string[]): boolean {
  if (python.includes('/') && !existsSync(python)) return false
  const probe = `import importlib.util, sys; sys.exit(0 if all(importlib.util.find_spec(m) for m in ${JSON.stringify(modules)}) else 1)`
  const result = spawnSync(python, ['-c', probe], {stdio: 'ignore'})
  return result.status === 0
}

export function pythonRuns(python: string): boolean {
  return spawnSync(python, ['-c', 'pass'], {stdio: 'ignore'}).status === 0
}

export interface HandlerRun {
  code: number | null
  events: HandlerEvent[]
  stdout: string
  stderr: string
  dir: string
  stagingDir: string
}

export interface HandlerRunOptions {
  python?: string
  source: string
  handler?: string | null
  params?: Record<string, JsonValue>
  inputs?: Record<string, {path: string; url?: string; meta?: Record<string, JsonValue>}>
  /** extra files to write next to the handler, by relative path */
  files?: Record<string, string | Uint8Array>
}

/** A temp directory per test file; call remove() in after(). */
export async function workspace(): Promise<{root: string; remove: () => Promise<void>}> {
  const root = await mkdtemp(join(tmpdir(), 'lode-python-'))
  return {root, remove: () => rm(root, {recursive: true, force: true})}
}

let counter = 0

export async function runHandler(root: string, opts: HandlerRunOptions): Promise<HandlerRun> {
  const dir = join(root, `run-${++counter}`)
  const stagingDir = join(dir, '.lode', 'runs', 'staging')
  await mkdir(stagingDir, {recursive: true})
  const file = join(dir, 'handler.py')
  await writeFile(file, opts.source)
  for (const [name, body] of Object.entries(opts.files ?? {})) await writeFile(join(dir, name), body)
  const inputs: HandlerSpec['inputs'] = {}
  for (const [key, input] of Object.entries(opts.inputs ?? {})) {
    const path = input.path.startsWith('/') ? input.path : join(dir, input.path)
    inputs[key] = {url: input.url ?? input.path, path, meta: input.meta ?? {}}
  }
  const spec: HandlerSpec = {
    uid: `uid${counter}`,
    name: 'test-run',
    project: 'test-project',
    kind: 'python',
    file,
    handler: opts.handler === undefined ? 'handler' : opts.handler,
    params: opts.params ?? {},
    inputs,
    stagingDir,
    projectDir: dir,
  }
  const specPath = join(dir, 'spec.json')
  await writeFile(specPath, JSON.stringify(spec))
  const plan = planPython(spec, specPath, {python: opts.python ?? TEST_PYTHON})
  const child = spawn(plan.command, plan.args, {cwd: dir, env: {...process.env, ...plan.env}, stdio: ['ignore', 'pipe', 'pipe', 'pipe']})
  const chunks = {stdout: [] as Buffer[], stderr: [] as Buffer[], events: [] as Buffer[]}
  child.stdout?.on('data', (b: Buffer) => chunks.stdout.push(b))
  child.stderr?.on('data', (b: Buffer) => chunks.stderr.push(b))
  const eventPipe = child.stdio[3]
  if (!eventPipe || !('on' in eventPipe)) throw new Error('fd 3 is not a pipe')
  eventPipe.on('data', (b: Buffer) => chunks.events.push(b))
  const eventsDone = new Promise<void>((resolve) => eventPipe.on('close', () => resolve()))
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (c) => resolve(c))
  })
  await eventsDone
  const lines = Buffer.concat(chunks.events).toString('utf8').split('\n').filter((l) => l.length > 0)
  return {
    code,
    events: lines.map((l) => JSON.parse(l) as HandlerEvent),
    stdout: Buffer.concat(chunks.stdout).toString('utf8'),
    stderr: Buffer.concat(chunks.stderr).toString('utf8'),
    dir,
    stagingDir,
  }
}

export function results(run: HandlerRun): Record<string, JsonValue> {
  const found: Record<string, JsonValue> = {}
  for (const e of run.events) if (e.t === 'result') found[e.key] = e.value
  return found
}

export function artifacts(run: HandlerRun): Record<string, ArtifactEvent> {
  const found: Record<string, ArtifactEvent> = {}
  for (const e of run.events) if (e.t === 'artifact') found[e.key] = e
  return found
}

export function errorEvent(run: HandlerRun): Extract<HandlerEvent, {t: 'error'}> | undefined {
  return run.events.find((e): e is Extract<HandlerEvent, {t: 'error'}> => e.t === 'error')
}

/** Fails with the handler's stderr when the run did not exit 0. */
export function assertCompleted(run: HandlerRun): void {
  if (run.code !== 0) throw new Error(`handler exited ${run.code}:\n${run.stderr}`)
}
