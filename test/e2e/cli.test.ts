// The real `lode` command, end to end, in temp projects.
import {expect} from 'chai'
import {readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {DatabaseSync} from 'node:sqlite'
import {pathToFileURL} from 'node:url'
import {isGone, json, lode, lodeAsync, nodeScript, ROOT, tempDir} from '../helpers/project.ts'

const HANDLER = `
import type {Context, DataItem} from 'lode'
export async function train(ctx: Context, {data, epochs = 1}: {data?: DataItem; epochs?: number}) {
  if (data) ctx.logResult('bytes', (await data.get()).length)
  await ctx.logArtifact('model', {body: 'weights ' + epochs}, {format: 'txt'})
  return {epochs, kind: typeof epochs}
}
export async function hang(ctx: Context) {
  const {spawn} = await import('node:child_process')
  const child = spawn('sleep', ['60'], {stdio: 'ignore'})
  ctx.logResult('child', child.pid ?? -1)
  await new Promise((r) => setTimeout(r, 60_000))
}
export const notAFunction = 1
`

describe('e2e: lode CLI', function () {
  this.timeout(180_000)
  let dir: string
  before(() => {
    dir = tempDir('lode-e2e-')
    expect(lode(['init', '--name', 'e2e'], {cwd: dir}).code).to.equal(0)
    writeFileSync(join(dir, 'h.ts'), HANDLER)
    writeFileSync(join(dir, 'data.csv'), 'a,b\n1,2\n')
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('runs a handler and prints one JSON envelope', () => {
    const r = lode(['run', 'h.ts#train', '-i', 'data=data.csv', '-p', 'epochs=3', '-o', 'model', '--json'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    const out = json(r)
    expect(out.ok).to.equal(true)
    expect(out.data.state).to.equal('completed')
    expect(out.data.results).to.deep.equal({bytes: 8, epochs: 3, kind: 'number'})
    expect(out.data.outputs.model).to.equal(`store://artifacts/e2e/model@${out.data.uid}`)
    const got = json(lode(['runs', 'get', out.data.uid.slice(0, 8), '--json'], {cwd: dir}))
    expect(got.data.uid).to.equal(out.data.uid)
    const body = lode(['artifacts', 'get', 'model', '-o', '-'], {cwd: dir})
    expect(body.stdout).to.equal('weights 3')
  })

  it('takes --project before the command too (as git -C), absolute for the handler\'s own lode calls', () => {
    const parent = join(dir, '..')
    const name = dir.slice(parent.length + 1)
    for (const args of [['--project', name], [`--project=${name}`]]) {
      const r = lode([...args, 'run', '--json', '--kind', 'exec', '--', 'sh', '-c', 'lode log result project "$LODE_PROJECT"'], {cwd: parent})
      expect(r.code, r.stderr).to.equal(0)
      expect(json(r).data.results.project).to.equal(dir)
      const ls = lode([...args, 'runs', 'ls', '--limit', '1', '--json'], {cwd: parent})
      expect(json(ls).data[0].uid).to.equal(json(r).data.uid)
    }
    for (const args of [['--project'], ['--project', '--json', 'runs', 'ls']]) {
      const bad = lode(args, {cwd: dir})
      expect(bad.code).to.equal(2)
      expect(bad.stderr).to.equal('Error: --project needs a directory.\nHint: lode --project DIR COMMAND ..., or lode COMMAND ... --project DIR\n')
    }
  })

  it('parses -p values as JSON where they parse', () => {
    const r = json(lode(['run', 'h.ts#train', '-p', 'epochs=[1,2]', '--json'], {cwd: dir}))
    expect(r.data.params.epochs).to.deep.equal([1, 2])
    const s = json(lode(['run', 'h.ts#train', '-p', 'epochs=ten', '--json'], {cwd: dir}))
    expect(s.data.results.kind).to.equal('string')
  })

  it('gives a clear message and a documented exit code for bad input', () => {
    const noProject = lode(['runs', 'ls'], {cwd: tempDir()})
    expect(noProject.code).to.equal(3)
    expect(noProject.stderr).to.contain('lode init')
    const typo = lode(['runs', 'lss'], {cwd: dir})
    expect(typo.code).to.equal(2)
    expect(typo.stderr).to.equal('Error: Unknown command "lode runs lss".\nHint: Did you mean: lode runs ls? See: lode --help\n')
    // under --json, the error envelope on stdout like every command's
    const typoJson = lode(['runs', 'lss', '--json'], {cwd: dir})
    expect(typoJson.code).to.equal(2)
    expect(json(typoJson).error).to.deep.equal({code: 'usage', message: 'Unknown command "lode runs lss".', hint: 'Did you mean: lode runs ls? See: lode --help', exitCode: 2})
    // a topic, or nothing, with --json: the envelope too, not the help text
    const topic = (named: string) => `"${named}" is a group of commands: name one to get its --json answer.`
    for (const [args, message, hint] of [
      [['artifacts', '--json'], topic('lode artifacts'), 'See: lode artifacts --help'],
      [['--json', 'remote'], topic('lode remote'), 'See: lode remote --help'],
      [['--json'], 'Name a command to get its --json answer.', 'See: lode --help'],
    ] as const) {
      const r = lode([...args], {cwd: dir})
      expect(r.code, args.join(' ')).to.equal(2)
      expect(json(r).error, args.join(' ')).to.deep.equal({code: 'usage', message, hint, exitCode: 2})
    }
    expect(lode(['artifacts'], {cwd: dir}).stdout).to.include('USAGE')
    const malformed = lode(['run', 'h.ts', '-p', 'epochs'], {cwd: dir})
    expect(malformed.code).to.equal(2)
    expect(malformed.stderr).to.contain('Malformed param "epochs": expected KEY=VALUE')
    const missing = lode(['run', 'h.ts#train', '-i', 'data=nope.csv'], {cwd: dir})
    expect(missing.code).to.equal(4)
    expect(missing.stderr).to.contain('no such file "nope.csv"')
    const twice = lode(['run', 'h.ts#train', '-i', 'data=data.csv', '-i', 'data=other.csv'], {cwd: dir})
    expect(twice.code).to.equal(2)
    expect(twice.stderr).to.contain('Input "data" is given twice (data.csv and other.csv)')
    writeFileSync(join(dir, 'broken.ts'), 'this is not ( a module')
    const notModule = lode(['run', 'broken.ts', '--json'], {cwd: dir})
    expect(notModule.code).to.equal(1)
    expect(json(notModule).error.details.run.error.message).to.contain('Cannot load')
    const unknownHandler = lode(['run', 'h.ts#nope'], {cwd: dir})
    expect(unknownHandler.code).to.equal(4)
    expect(unknownHandler.stderr).to.contain('h.ts has no exported function "nope"')
    const runFolders = readdirSync(join(dir, '.lode', 'runs')).length
    const hubMissing = lode(['run', 'hub://auto_trainer', '--handler', 'train', '-p', 'label_columns=label'], {cwd: dir})
    expect(hubMissing.code).to.equal(2)
    expect(hubMissing.stderr).to.contain('needs param model_class (-p model_class=...), input dataset (-i dataset=...)')
    expect(readdirSync(join(dir, '.lode', 'runs')).length, 'no run folder left behind').to.equal(runFolders)
    const jsonErr = json(lode(['artifacts', 'get', 'nope', '--json'], {cwd: dir}))
    expect(jsonErr).to.deep.include({ok: false})
    expect(jsonErr.error).to.include({code: 'not_found', exitCode: 4})
  })

  it('aborts on Ctrl-C: the whole process tree ends and the run is recorded aborted', async () => {
    const p = lodeAsync(['run', 'h.ts#hang', '--events', 'ndjson'], {cwd: dir})
    let child = 0
    await new Promise<void>((resolve) => {
      p.child.stdout!.on('data', (c: Buffer) => {
        for (const line of c.toString().split('\n')) {
          if (line.includes('"t":"result"')) {
            child = JSON.parse(line).value
            resolve()
          }
        }
      })
    })
    p.child.kill('SIGINT')
    const r = await p
    expect(r.code).to.equal(130)
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(events.at(-1)).to.include({t: 'state', state: 'aborted'})
    expect(await isGone(child)).to.equal(true)
  })

  it('says a run stopped by SIGTERM (as `runs abort` stops one) was aborted by SIGTERM, not Ctrl-C', async () => {
    const p = lodeAsync(['run', 'h.ts#hang'], {cwd: dir})
    await new Promise<void>((resolve) => p.child.stderr!.on('data', (c: Buffer) => c.toString().includes('result child') && resolve()))
    p.child.kill('SIGTERM')
    const r = await p
    expect(r.code).to.equal(130)
    expect(r.stderr).to.contain('aborting (SIGTERM): stopping the run').and.contain('aborted (SIGTERM)').and.not.contain('Ctrl-C')
  })

  it('ends the handler soon after its lode is killed -9, shows the run as stale, and marks it aborted', async () => {
    const p = lodeAsync(['run', 'h.ts#hang', '--events', 'ndjson'], {cwd: dir})
    const child = await new Promise<number>((resolve) => p.child.stdout!.on('data', (c: Buffer) => {
      const line = c.toString().split('\n').find((l) => l.includes('"t":"result"'))
      if (line) resolve(JSON.parse(line).value)
    }))
    p.child.kill('SIGKILL')
    await p
    const ls = json(lode(['runs', 'ls', '--json', '--limit', '1'], {cwd: dir}))
    expect(ls.data[0].state).to.equal('stale')
    expect(await isGone(child, 10_000), 'the handler tree ends soon after its lode is killed').to.equal(true)
    const abort = json(lode(['runs', 'abort', ls.data[0].uid, '--json'], {cwd: dir}))
    expect(abort.data.action).to.equal('marked')
    expect(json(lode(['runs', 'get', ls.data[0].uid, '--json'], {cwd: dir})).data.state).to.equal('aborted')
  })

  it('records 200 runs from 8 processes at once, none lost, the database intact', async () => {
    const d = tempDir('lode-e2e-many-')
    lode(['init', '--name', 'many'], {cwd: d})
    writeFileSync(join(d, 'one.mjs'), 'export async function handler(ctx, {n}) { ctx.logResult("n", n) }\n')
    // Eight processes write one database at once, 25 runs each, through the library: the contention is the same as
    // with 200 `lode run`s eight at a time, without 200 CLI start-ups (concurrent CLI runs are tested below).
    const index = JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'index.js')).href)
    const worker = (first: number) => `
      import {Project} from ${index}
      const project = await Project.open('.')
      for (let n = ${first}; n < ${first + 25}; n++) {
        const run = await project.run('one.mjs', {params: {n}, labels: {batch: 'many'}})
        if (run.state !== 'completed') throw new Error('run ' + n + ': ' + run.state + ' ' + JSON.stringify(run.error))
      }
      project.close()`
    const workers = await Promise.all(Array.from({length: 8}, (_, i) => nodeScript(worker(i * 25), d)))
    for (const w of workers) expect(w.code, w.stderr).to.equal(0)
    const runs = json(lode(['runs', 'ls', '--json', '--limit', '1000', '--label', 'batch=many'], {cwd: d})).data as {results: {n: number}; state: string}[]
    expect(runs).to.have.length(200)
    expect(runs.every((r) => r.state === 'completed')).to.equal(true)
    expect(new Set(runs.map((r) => r.results.n)).size).to.equal(200)
    const db = new DatabaseSync(join(d, '.lode', 'lode.db'))
    expect(db.prepare('PRAGMA integrity_check').get()).to.deep.equal({integrity_check: 'ok'})
    db.close()
    rmSync(d, {recursive: true, force: true})
  })

  it('gives eight runs logging the same key at once eight versions and exactly one latest', async () => {
    await Promise.all(Array.from({length: 8}, (_, i) => lodeAsync(['run', 'h.ts#train', '-p', `epochs=${i}`], {cwd: dir})))
    const versions = json(lode(['artifacts', 'ls', 'model', '--all-versions', '--json', '--limit', '1000'], {cwd: dir})).data as {version: number; tags: string[]}[]
    const before = versions.length
    expect(before).to.be.greaterThanOrEqual(8)
    expect(new Set(versions.map((v) => v.version)).size).to.equal(before)
    expect(versions.filter((v) => v.tags.includes('latest'))).to.have.length(1)
    expect(versions.find((v) => v.tags.includes('latest'))!.version).to.equal(Math.max(...versions.map((v) => v.version)))
  })

  it('keeps stdout for results: runs logs prints what the handler printed', () => {
    writeFileSync(join(dir, 'p.ts'), 'export async function handler() { console.log("printed line") }\n')
    const r = json(lode(['run', 'p.ts', '--json'], {cwd: dir}))
    const logs = lode(['runs', 'logs', r.data.uid.slice(0, 8)], {cwd: dir})
    expect(logs.stdout).to.equal('printed line\n')
    expect(readFileSync(join(dir, '.lode', 'runs', r.data.uid, 'output.log'), 'utf8')).to.equal('printed line\n')
  })

  it('says a list was cut short only when more rows exist', () => {
    const total = json(lode(['runs', 'ls', '--json', '--limit', '100000'], {cwd: dir})).data.length
    const cut = lode(['runs', 'ls', '--limit', '1'], {cwd: dir})
    expect(cut.stderr).to.contain('(the newest 1 run; --limit N for more)')
    expect(cut.stdout.trim().split('\n')).to.have.length(2)
    const all = lode(['runs', 'ls', '--limit', String(total)], {cwd: dir})
    expect(all.stderr).not.to.contain('--limit N for more')
    expect(all.stdout.trim().split('\n')).to.have.length(total + 1)
    const keys = json(lode(['artifacts', 'ls', '--json'], {cwd: dir})).data.length
    expect(lode(['artifacts', 'ls', '--limit', String(keys)], {cwd: dir}).stderr).not.to.contain('--limit N for more')
    expect(lode(['artifacts', 'ls', '--all-versions', '--limit', '1'], {cwd: dir}).stderr).to.contain('(the newest 1; --limit N for more)')
  })
})
