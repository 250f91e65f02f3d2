// The real `lode` on a real terminal: live views in a pseudo terminal, plain lines when piped or in CI, the
// ndjson event stream, and no ink/react loaded by commands that print plain output.
import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {BIN, json, lode, tempDir} from '../helpers/project.ts'
import {runInPty, type PtyOptions, type PtyResult} from '../helpers/pty.ts'

const HANDLER = `
import type {Context} from 'lode'
import {existsSync} from 'node:fs'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
export async function work(ctx: Context, {steps = 10, ms = 200}: {steps?: number; ms?: number}) {
  for (let i = 1; i <= steps; i++) {
    ctx.progress(i / steps, 'step ' + i + ' of ' + steps)
    ctx.logger.info('working', {step: i})
    await sleep(ms)
  }
  console.log('printed on stdout')
  ctx.logResult('accuracy', 0.93)
  await ctx.logArtifact('report', {body: 'hello report\\n'}, {format: 'txt'})
  return {loss: 0.12}
}
export async function many(ctx: Context) {
  for (let i = 1; i <= 15; i++) {
    ctx.progress(i / 15, 'item ' + i)
    ctx.logResult('metric_' + i, i * 1.5)
    console.log('a fairly long line printed by the handler to its stdout, number ' + i)
    await sleep(60)
  }
}
export async function hang(ctx: Context) {
  ctx.logger.info('hanging now')
  await sleep(120_000)
}
export async function gated(ctx: Context, {gate}: {gate: string}) {
  ctx.progress(0.5, 'waiting for the test to open the gate')
  while (!existsSync(gate)) await sleep(20)
}
export async function data(ctx: Context) {
  await ctx.logDataset('table', {localPath: 'ds.csv'})
}
`

const STEPS = `
import type {Context, DataItem} from 'lode'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
export async function make(ctx: Context) {
  for (let i = 1; i <= 4; i++) { ctx.progress(i / 4, 'making'); await sleep(200) }
  await ctx.logArtifact('out', {body: 'made\\n'}, {format: 'txt'})
}
export async function breaks(ctx: Context, {src}: {src: DataItem}) {
  ctx.logger.info('read', {bytes: (await src.get()).length})
  await sleep(300)
  throw new Error('the model did not converge')
}
export async function report(ctx: Context, {src}: {src: DataItem}) {
  ctx.logResult('never', 1)
}
`

const WORKFLOW = `
name: failing
steps:
  prepare:
    function: steps.ts#make
    outputs: [out]
  train:
    function: steps.ts#breaks
    inputs: {src: "{{ steps.prepare.outputs.out }}"}
    outputs: [model]
  report:
    function: steps.ts#report
    inputs: {src: "{{ steps.train.outputs.model }}"}
`

// Records the URL of every module a process loads (ESM and CommonJS), into a file per process at exit.
const RECORD_MODULES = `
import {registerHooks} from 'node:module'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
const loaded = new Set()
registerHooks({load(url, context, nextLoad) { loaded.add(url); return nextLoad(url, context) }})
process.on('exit', () => writeFileSync(join(process.env.LODE_TEST_MODULES_DIR, String(process.pid)), [...loaded].join('\\n')))
`

// erase-line / cursor-up / cursor-to-column: a frame redrawn in place
const CURSOR_MOVEMENT = /\u001B\[\d*[ABGK]/
// any CSI sequence at all: colours, cursor movement, cursor visibility
const ANY_ESCAPE = /\u001B\[/
const TIMESTAMPED = /^\d\d:\d\d:\d\d /
const SPARK = /[▁▂▃▄▅▆▇█]{5,}/
const INK_OR_REACT = /\/node_modules\/(ink|react|react-reconciler)\//

function countOf(text: string, needle: string): number {
  return text.split(needle).length - 1
}

/** The short uid of the run a summary names ("… run 1a2b3c4d …"). */
function runUidIn(text: string): string {
  const match = /run ([0-9a-f]{8})/.exec(text)
  if (!match) throw new Error(`no run uid in:\n${text}`)
  return match[1]!
}

describe('e2e: lode on a terminal', function () {
  this.timeout(90_000)
  let dir: string
  const pty = (args: string[], opts: PtyOptions = {}): Promise<PtyResult> =>
    runInPty(process.execPath, [BIN, ...args], {cols: 100, rows: 30, timeoutMs: 60_000, cwd: dir, ...opts, env: {NODE_ENV: '', ...opts.env}})

  before(() => {
    dir = tempDir('lode-tty-')
    expect(lode(['init', '--name', 'tty'], {cwd: dir}).code).to.equal(0)
    writeFileSync(join(dir, 'h.ts'), HANDLER)
    writeFileSync(join(dir, 'steps.ts'), STEPS)
    writeFileSync(join(dir, 'wf.yaml'), WORKFLOW)
    const rows = ['x,y,name']
    for (let i = 0; i < 200; i++) rows.push(`${Math.sin(i) * (i % 13)},${i % 10 === 0 ? '' : (i * 37) % 100},n${i % 7}`)
    writeFileSync(join(dir, 'ds.csv'), `${rows.join('\n')}\n`)
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('lode run: a live view while it runs, then the summary stays, exit 0', async () => {
    const r = await pty(['run', 'h.ts#work'])
    expect(r.exitCode, r.text).to.equal(0)
    expect(r.output).to.match(CURSOR_MOVEMENT)
    // the live view: state, progress bar and the log tail
    expect(r.text).to.match(/running \d/)
    expect(r.text).to.match(/█+░* +\d+% step \d+ of 10/)
    expect(r.text).to.include('│ working step=')
    const uid = runUidIn(r.text)
    const run = json(lode(['runs', 'get', uid, '--json'], {cwd: dir})).data
    expect(run.state).to.equal('completed')
    // the summary: results table, artifacts with kind/size/URI, duration, the logs command, once
    expect(r.text).to.match(new RegExp(`✔ completed h\\.ts#work run ${uid} in \\d+(\\.\\d)?m?s`))
    expect(r.text).to.match(/results\n {2}accuracy +0\.93\n {2}loss +0\.12\n/)
    expect(r.text).to.match(new RegExp(`artifacts\\n {2}report +artifact +13 B +${run.outputs.report.replace(/[.@/]/g, '\\$&')}\\n`))
    expect(countOf(r.text, `logs: lode runs logs ${uid}`)).to.equal(1)
    expect(r.text).to.match(/logs: lode runs logs [0-9a-f]{8}\n$/)
  })

  it('lode run on a small terminal: the live view fits it, the summary is printed once and ends its line', async () => {
    const r = await pty(['run', 'h.ts#many'], {cols: 40, rows: 10})
    expect(r.exitCode, r.text).to.equal(0)
    // a frame as tall as the terminal makes ink clear the whole screen (cursor home + erase down), and what
    // scrolled off the top (the header, the state, the progress bar) is never seen while it runs
    expect(r.output).not.to.include('\u001B[1;1H\u001B[J')
    const uid = runUidIn(r.text)
    // 40 columns: the summary's first line wraps
    expect(r.text).to.match(new RegExp(`✔ completed h\\.ts#many run ${uid}\\s+in\\s+\\d`))
    expect(r.text).to.match(/ {2}metric_15 +22\.5\n/)
    expect(countOf(r.text, `logs: lode runs logs ${uid}`)).to.equal(1)
    expect(r.text).to.match(/logs: lode runs logs [0-9a-f]{8}\n$/)
  })

  it('Ctrl-C aborts the run: exit 130, the screen says so, the run is recorded aborted', async () => {
    const r = await pty(['run', 'h.ts#hang'], {input: [{waitFor: '│ hanging now', send: '\u0003'}]})
    expect(r.exitCode, r.text).to.equal(130)
    expect(r.text).to.match(/■ aborted \(Ctrl-C\) h\.ts#hang run [0-9a-f]{8} after/)
    const run = json(lode(['runs', 'get', runUidIn(r.text), '--json'], {cwd: dir})).data
    expect(run.state).to.equal('aborted')
  })

  it('lode workflow run with a failing step: every step state, the error and the resume command, exit 1', async () => {
    const r = await pty(['workflow', 'run', 'wf.yaml'])
    expect(r.exitCode, r.text).to.equal(1)
    expect(r.output).to.match(CURSOR_MOVEMENT)
    expect(r.text).to.match(/report waiting/)
    expect(r.text).to.match(/prepare running/)
    expect(r.text).to.match(/✔ prepare done \d/)
    expect(r.text).to.match(/✖ train failed \d+(\.\d)?m?s run [0-9a-f]{8}\n {2}Error: the model did not converge/)
    expect(r.text).to.match(/- report skipped/)
    expect(r.text).to.match(/step train failed: Error: the model did not converge/)
    const resume = /resume: lode workflow run --resume ([0-9a-f]{8})/.exec(r.text)
    expect(resume, r.text).not.to.equal(null)
    const runs = json(lode(['runs', 'ls', '--json'], {cwd: dir})).data as Array<{name: string; state: string}>
    expect(runs.find((run) => run.name === 'train')?.state).to.equal('error')
  })

  it('lode runs ls --watch: a run started elsewhere appears in the table; q quits with exit 0', async () => {
    let other: Promise<number | null> | undefined
    const startOther = () => {
      const child = spawn(process.execPath, [BIN, 'run', 'h.ts#gated', '--name', 'watched-run', '-p', `gate=${gate}`], {
        cwd: dir, env: {...process.env, NODE_ENV: '', CI: '1', NO_COLOR: '1'}, stdio: 'ignore',
      })
      other = new Promise((resolve) => child.on('close', resolve))
      return ''
    }
    // the run goes on until the table has shown it running, however long a loaded machine takes to refresh it
    const gate = join(dir, 'watched-run.gate')
    const openGate = () => {
      writeFileSync(gate, '')
      return ''
    }
    const r = await pty(['runs', 'ls', '--watch'], {input: [
      {waitFor: 'q to quit', send: startOther},
      {waitFor: /watched-run +running/, send: openGate},
      {waitFor: /watched-run +completed/, send: 'q'},
    ]})
    expect(r.exitCode, r.text).to.equal(0)
    expect(await other).to.equal(0)
    expect(r.output).to.match(CURSOR_MOVEMENT)
    // absent from the first frame, then running, then completed: the table refreshed while watching
    const firstFrame = r.text.slice(0, r.text.indexOf('q to quit'))
    expect(firstFrame).not.to.include('watched-run')
    expect(r.text).to.match(/watched-run +running/)
    expect(r.text.indexOf('watched-run')).to.be.greaterThan(r.text.indexOf('q to quit'))
  })

  describe('not a terminal, or CI', () => {
    const runArgs = ['run', 'h.ts#work', '-p', 'steps=3', '-p', 'ms=50']

    function expectPlainLines(output: string) {
      const text = output.replaceAll('\r\n', '\n')
      const lines = text.split('\n').filter((line) => line !== '')
      expect(lines.length).to.be.greaterThan(5)
      for (const line of lines) expect(line, text).to.match(TIMESTAMPED)
      expect(text).to.match(/\d\d:\d\d:\d\d run [0-9a-f]{8} running h\.ts#work\n/)
      expect(text).to.match(/\d\d:\d\d:\d\d progress 100% step 3 of 3\n/)
      expect(text).to.match(/\d\d:\d\d:\d\d result accuracy=0\.93\n/)
      expect(text).to.match(/\d\d:\d\d:\d\d artifact report \(artifact, 13 B\) store:\/\/artifacts\/tty\/report@[0-9a-f]{32}\n/)
      expect(text).to.match(/\d\d:\d\d:\d\d completed in \d/)
      expect(text).to.match(/\d\d:\d\d:\d\d logs: lode runs logs [0-9a-f]{8}\n/)
    }

    it('piped: plain timestamped lines on stderr, no escape sequences, nothing on stdout', () => {
      const r = lode(runArgs, {cwd: dir, env: {CI: '', NO_COLOR: '1'}})
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout).to.equal('')
      expect(r.stderr).not.to.match(ANY_ESCAPE)
      expectPlainLines(r.stderr)
    })

    it('CI=true on a terminal: plain lines, no escape sequences, with NO_COLOR and without', async () => {
      for (const env of [{CI: 'true', NO_COLOR: '1'}, {CI: 'true'}]) {
        const r = await pty(runArgs, {env})
        expect(r.exitCode, r.text).to.equal(0)
        expect(r.output, JSON.stringify(env)).not.to.match(ANY_ESCAPE)
        expectPlainLines(r.output)
      }
    })

    it('FORCE_COLOR=1 colours the plain lines, piped or in CI', async () => {
      const piped = lode(runArgs, {cwd: dir, env: {CI: '', NO_COLOR: '', FORCE_COLOR: '1'}})
      expect(piped.code, piped.stderr).to.equal(0)
      expect(piped.stderr).to.include('\u001B[32mcompleted in ')
      expect(piped.stderr).not.to.match(CURSOR_MOVEMENT)
      const ci = await pty(runArgs, {env: {CI: 'true', FORCE_COLOR: '1'}})
      expect(ci.exitCode, ci.text).to.equal(0)
      expect(ci.output).to.include('\u001B[32mcompleted in ')
      expect(ci.output).not.to.match(CURSOR_MOVEMENT)
      expectPlainLines(ci.text)
    })
  })

  it('--events ndjson: every stdout line is one JSON event, of every type, and nothing else', () => {
    const r = lode([...['run', 'h.ts#work', '-p', 'steps=3', '-p', 'ms=50'], '--events', 'ndjson'], {cwd: dir, env: {CI: ''}})
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout.endsWith('\n')).to.equal(true)
    const events = r.stdout.slice(0, -1).split('\n').map((line) => {
      try {
        return JSON.parse(line) as {t: string; run: string; state?: string; ts: number}
      } catch {
        throw new Error(`not a JSON line: ${JSON.stringify(line)}\nstdout:\n${r.stdout}`)
      }
    })
    const types = new Set(events.map((event) => event.t))
    for (const type of ['state', 'log', 'progress', 'result', 'artifact', 'ingested', 'output']) expect([...types]).to.include(type)
    expect(new Set(events.map((event) => event.run)).size).to.equal(1)
    expect(events.every((event) => typeof event.ts === 'number')).to.equal(true)
    expect(events.at(0)).to.include({t: 'state', state: 'running'})
    expect(events.at(-1)).to.include({t: 'state', state: 'completed'})
  })

  it('lode artifacts get DATASET --meta on a terminal: sparklines and null counts', async () => {
    const made = lode(['run', 'h.ts#data'], {cwd: dir})
    expect(made.code, made.stderr).to.equal(0)
    const r = await pty(['artifacts', 'get', 'table', '--meta'])
    expect(r.exitCode, r.text).to.equal(0)
    expect(r.text).to.match(/dataset +200 rows x 3 columns/)
    expect(r.text).to.match(/COLUMN +DTYPE +COUNT +NULLS/)
    const x = r.text.split('\n').find((line) => line.startsWith('x '))
    const y = r.text.split('\n').find((line) => line.startsWith('y '))
    expect(x, r.text).to.match(/^x +Float64 +200 +0 /)
    expect(x).to.match(SPARK)
    expect(y, r.text).to.match(/^y +\w+ +180 +20 /)
    expect(y).to.match(SPARK)
    expect(r.text).to.match(/^name +String +200 +0 .*7 distinct/m)
  })

  describe('start-up: ink and react only where a view renders', () => {
    let modulesDir: string
    let hook: string
    beforeEach(() => {
      modulesDir = tempDir('lode-modules-')
      hook = join(modulesDir, 'record-modules.mjs')
      writeFileSync(hook, RECORD_MODULES)
      mkdirSync(join(modulesDir, 'loaded'))
    })
    afterEach(() => rmSync(modulesDir, {recursive: true, force: true}))

    /** every module URL each process (lode and its handlers) loaded */
    function loadedModules(): string[][] {
      const out = join(modulesDir, 'loaded')
      return readdirSync(out).map((pid) => readFileSync(join(out, pid), 'utf8').split('\n'))
    }
    const hookEnv = () => ({NODE_OPTIONS: `--import ${pathToFileURL(hook).href}`, LODE_TEST_MODULES_DIR: join(modulesDir, 'loaded')})

    it('lode runs ls and lode run (CI=true) load no ink or react', () => {
      for (const args of [['runs', 'ls'], ['run', 'h.ts#work', '-p', 'steps=1', '-p', 'ms=1']]) {
        rmSync(join(modulesDir, 'loaded'), {recursive: true, force: true})
        mkdirSync(join(modulesDir, 'loaded'))
        const r = lode(args, {cwd: dir, env: {CI: 'true', ...hookEnv()}})
        expect(r.code, r.stderr).to.equal(0)
        const processes = loadedModules()
        // the hook saw lode's own modules (one of the command's files, dist/*.cjs, or modules under dist/lib/), so
        // an empty answer cannot pass
        expect(processes.flat().some((url) => /\/dist\/(\w+\.cjs$|lib\/)/.test(url)), args.join(' ')).to.equal(true)
        expect(processes.flat().filter((url) => INK_OR_REACT.test(url)), args.join(' ')).to.deep.equal([])
      }
    })

    it('the same hook sees ink when a live view renders (runs ls --watch on a terminal)', async () => {
      const r = await pty(['runs', 'ls', '--watch'], {env: hookEnv(), input: [{waitFor: 'q to quit', send: 'q'}]})
      expect(r.exitCode, r.text).to.equal(0)
      expect(loadedModules().flat().some((url) => /\/node_modules\/ink\//.test(url))).to.equal(true)
    })
  })
})
