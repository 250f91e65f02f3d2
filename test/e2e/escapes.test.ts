// Text from a run reaches the terminal escaped: a handler's OSC 52 (clipboard), title change, CSI, C1 and bidi
// override in its output, logs, progress, results, labels, error and dataset metadata are shown, not obeyed, by
// every command that prints them. `--json` and piped `runs logs` stay exact.
import {expect} from 'chai'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {BIN, json, lode, tempDir} from '../helpers/project.ts'
import {runInPty} from '../helpers/pty.ts'

const EVIL = '\u001b]0;pwned-title\u0007\u001b]52;c;ZXZpbA==\u0007\u001b[2J\u009b31m\u202eevil'
const HANDLER = `
import type {Context} from 'lode'
import pl from 'nodejs-polars'
const EVIL = ${JSON.stringify(EVIL)}

export async function evil(ctx: Context) {
  console.log('out ' + EVIL)
  console.error('err ' + EVIL)
  ctx.logger.info('log ' + EVIL, {f: EVIL})
  ctx.progress(0.5, 'prog ' + EVIL)
  ctx.logResult('res' + EVIL, 'val ' + EVIL)
  ctx.setLabel('lab', 'lab ' + EVIL)
  await ctx.logDataset('data', pl.DataFrame({['col' + EVIL]: ['v ' + EVIL, 'w']}), {labels: {l: EVIL}})
  throw new Error('boom ' + EVIL)
}
`

/** Nothing a terminal would obey: no ESC, BEL, C1 or bidi override (these commands print no colour here). */
function expectInert(text: string, what: string): void {
  for (const c of ['\u001b', '\u0007', '\u009b', '\u202e']) expect(text.includes(c), `${what} holds ${JSON.stringify(c)}:\n${text}`).to.equal(false)
}

describe('control characters from a run (e2e)', function () {
  this.timeout(120_000)
  let dir: string
  let uid: string
  let runStderr: string

  before(() => {
    dir = tempDir()
    expect(lode(['init', '--name', 'esc'], {cwd: dir}).code).to.equal(0)
    writeFileSync(join(dir, 'evil.ts'), HANDLER)
    writeFileSync(join(dir, 'wf.yaml'), 'steps:\n  bad:\n    function: evil.ts#evil\n')
    const r = lode(['run', 'evil.ts#evil'], {cwd: dir})
    expect(r.code).to.equal(1)
    runStderr = r.stderr
    uid = json(lode(['runs', 'ls', '--json'], {cwd: dir})).data[0].uid
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('lode run prints them escaped in its plain lines', () => {
    expectInert(runStderr, 'lode run')
    // output lines lose whole escape sequences (as a terminal would leave them); the rest is shown
    expect(runStderr).to.include('out \\x9b31m\\u202eevil').and.include('log \\x1b]0;pwned-title\\x07').and.include('boom \\x1b]0;pwned-title')
  })

  it('runs ls, runs get and runs logs --events escape them; --json stays exact', () => {
    expectInert(lode(['runs', 'ls'], {cwd: dir}).stdout, 'runs ls')
    const got = lode(['runs', 'get', uid], {cwd: dir}).stdout
    expectInert(got, 'runs get')
    expect(got).to.include('val \\x1b]0;pwned-title\\x07')
    const events = lode(['runs', 'logs', uid, '--events'], {cwd: dir}).stdout
    expectInert(events, 'runs logs --events')
    // still JSON, with the same values
    expect(events.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.t === 'progress').message).to.equal(`prog ${EVIL}`)
    const run = json(lode(['runs', 'get', uid, '--json'], {cwd: dir})).data
    expect(run.results[`res${EVIL}`]).to.equal(`val ${EVIL}`)
  })

  it('--json envelopes write C1, bidi and line-separator characters as \\u escapes: valid JSON, the same values', () => {
    const raw = ['\u009b', '\u007f', '\u0085', '\u202a', '\u202e', '\u2066', '\u2069', '\u2028', '\u2029']
    for (const args of [['runs', 'get', uid, '--json'], ['runs', 'ls', '--json'], ['artifacts', 'get', `data@${uid}`, '--preview', '2', '--json']]) {
      const r = lode(args, {cwd: dir})
      for (const c of raw) expect(r.stdout.includes(c), `${args.join(' ')} holds a raw ${JSON.stringify(c)}`).to.equal(false)
      expect(r.stdout, args.join(' ')).to.include('\\u009b31m\\u202eevil')
      const out = JSON.parse(r.stdout)
      if (args[0] === 'runs' && args[1] === 'get') expect(out.data.results[`res${EVIL}`]).to.equal(`val ${EVIL}`)
      if (args[0] === 'artifacts') expect(out.data.columns).to.deep.equal([`col${EVIL}`])
    }
  })

  it('runs logs is exact when piped and escaped on a terminal', async () => {
    expect(lode(['runs', 'logs', uid], {cwd: dir}).stdout).to.include(`out ${EVIL}`)
    const tty = await runInPty(process.execPath, [BIN, 'runs', 'logs', uid], {cwd: dir, env: {NO_COLOR: '1'}})
    expectInert(tty.output, 'runs logs on a terminal')
    expect(tty.output).to.include('out \\x1b]0;pwned-title\\x07\\x1b]52;c;ZXZpbA==\\x07')
  })

  it('artifacts get --meta and --preview escape column names, values and labels', () => {
    const meta = lode(['artifacts', 'get', 'data:v1', '--meta'], {cwd: dir}).stdout
    expectInert(meta, 'artifacts get --meta')
    expect(meta).to.include('col\\x1b]0;pwned')
    const preview = lode(['artifacts', 'get', 'data:v1', '--preview', '5'], {cwd: dir}).stdout
    expectInert(preview, 'artifacts get --preview')
  })

  it('artifacts diff and lineage escape column names and values', () => {
    writeFileSync(join(dir, 'evil2.ts'), HANDLER.replace("'col' + EVIL", "'other' + EVIL").replace('throw new Error', 'void new Error'))
    expect(lode(['run', 'evil2.ts#evil'], {cwd: dir}).code).to.equal(0)
    const diff = lode(['artifacts', 'diff', 'data:v1', 'data:v2'], {cwd: dir}).stdout
    expectInert(diff, 'artifacts diff')
    expect(diff).to.include('other\\x1b]0;pwned')
    expectInert(lode(['artifacts', 'lineage', 'data'], {cwd: dir}).stdout, 'artifacts lineage')
  })

  it('workflow run and workflow get escape a step error in their summaries', () => {
    const r = lode(['workflow', 'run', 'wf.yaml'], {cwd: dir})
    expect(r.code).to.equal(1)
    expectInert(r.stdout + r.stderr, 'workflow run')
    expect(r.stdout + r.stderr).to.include('boom \\x1b]0;pwned-title')
    const id = json(lode(['workflow', 'ls', '--json'], {cwd: dir})).data
    const wid = (Array.isArray(id) ? id : id.workflows)[0].id
    expectInert(lode(['workflow', 'get', wid], {cwd: dir}).stdout, 'workflow get')
  })
})
