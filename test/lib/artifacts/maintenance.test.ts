// rm and gc racing runs and workflows: a version a running run reads, or a resumable workflow produced, stays.
import {expect} from 'chai'
import {existsSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {lode, tempProject} from '../../helpers/project.ts'
import {collectGarbage, removeVersions} from '../../../src/lib/artifacts/maintenance.ts'
import {runWorkflow} from '../../../src/lib/workflow/run-workflow.ts'

const HANDLERS = `
import {existsSync, readFileSync} from 'node:fs'
export async function make(ctx, {text = 'v'}) { await ctx.logArtifact('data', {body: text}) }
export async function slowRead(ctx, {data, gate}) {
  // reads its input only once the test opens the gate, long after the run started
  while (!existsSync(gate)) await new Promise((r) => setTimeout(r, 20))
  ctx.logResult('text', readFileSync(data.localPath(), 'utf8'))
}
export async function one(ctx) { await ctx.logArtifact('out', {body: 'from one'}) }
export async function bad(ctx, {flag}) {
  if (existsSync(flag)) throw new Error('bad is broken')
  await ctx.logArtifact('ok', {body: 'ok'})
}
export async function two(ctx, {a}) { ctx.logResult('text', readFileSync(a.localPath(), 'utf8')) }
`

async function until(what: string, cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('artifacts rm and gc while runs and workflows use the versions', function () {
  this.timeout(120_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('race')
    t.write('h.ts', HANDLERS)
  })
  afterEach(() => t.cleanup())

  it('keeps a version a running run reads, even with --force (rm exits 2 saying so), and removes it once the run ended', async () => {
    expect((await t.project.run('h.ts', {handler: 'make', params: {text: 'hello'}})).state).to.equal('completed')
    const gate = join(t.dir, 'gate')
    const reading = t.project.run('h.ts', {handler: 'slowRead', inputs: {data: 'data:latest'}, params: {gate}})
    const store = t.project.store
    const v = store.artifacts.resolve({key: 'data'})
    try {
      await until('the reading run to be recorded', () => store.runs.list({}).some((r) => r.name === 'h-slowRead' && r.state === 'running'))

      const cli = lode(['artifacts', 'rm', 'data', '--all', '--force'], {cwd: t.dir})
      expect(cli.code, cli.stderr).to.equal(2)
      expect(cli.stderr).to.contain('in use').and.contain('h-slowRead')
      const r = await removeVersions(store, store.artifacts.versionsOf('data'), {force: true})
      expect(r.removed).to.deep.equal([])
      expect(r.inUse.map((u) => u.version)).to.deep.equal([v.version])
      const gc = await collectGarbage(store, {keepLast: 1, includeInputs: true})
      expect(gc.versionsRemoved).to.deep.equal([])
      expect(existsSync(store.objects.path(v.sha256))).to.equal(true)
    } finally {
      writeFileSync(gate, '') // whatever happened, the handler ends
      await reading.catch(() => undefined)
    }
    const run = await reading
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
    expect(run.results.text).to.equal('hello')
    const after = await removeVersions(store, store.artifacts.versionsOf('data'), {force: true})
    expect(after.removed.map((x) => x.version)).to.deep.equal([v.version])
    expect(existsSync(store.objects.path(v.sha256))).to.equal(false)
  })

  it('gc --keep-last keeps the outputs a failed workflow will reuse when resumed, so the resume completes', async () => {
    const flag = join(t.dir, 'broken')
    writeFileSync(flag, '')
    t.write('workflow.yaml', `name: wf
steps:
  one: {function: h.ts, handler: one, outputs: [out]}
  bad: {function: h.ts, handler: bad, params: {flag: ${JSON.stringify(flag)}}, outputs: [ok]}
  two:
    function: h.ts
    handler: two
    inputs: {a: "{{ steps.one.outputs.out }}", b: "{{ steps.bad.outputs.ok }}"}
`)
    const failed = await runWorkflow(t.project, {ref: 'workflow.yaml', parallel: 1, cwd: t.dir})
    expect(failed.state).to.not.equal('completed')
    const produced = t.project.store.artifacts.resolve({key: 'out'})
    // newer versions of the same key, made outside the workflow
    await t.project.run('h.ts', {handler: 'one'})
    t.write('h2.ts', `export async function one(ctx) { await ctx.logArtifact('out', {body: 'newer'}) }`)
    await t.project.run('h2.ts', {handler: 'one'})

    const gc = await collectGarbage(t.project.store, {keepLast: 1})
    expect(gc.versionsRemoved.map((x) => `${x.key} v${x.version}`)).to.not.include(`out v${produced.version}`)
    expect(existsSync(t.project.store.objects.path(produced.sha256))).to.equal(true)

    rmSync(flag)
    const resumed = await runWorkflow(t.project, {resume: failed.id, parallel: 1, cwd: t.dir})
    expect(resumed.state, JSON.stringify(resumed.steps)).to.equal('completed')
    expect(resumed.steps.find((s) => s.name === 'two')!.results).to.deep.include({text: 'from one'})
  })
})

describe('a run whose input version was removed while it was starting', function () {
  this.timeout(60_000)
  it('is refused with a not-found error naming the input, not a constraint failure', async () => {
    const t = await tempProject('race2')
    try {
      t.write('h.ts', HANDLERS)
      await t.project.run('h.ts', {handler: 'make'})
      const store = t.project.store
      const v = store.artifacts.resolve({key: 'data'})
      const now = Date.now()
      const run = {
        uid: 'f'.repeat(32), name: 'late', project: 'race2', kind: 'node' as const, function: 'h.ts', handler: 'two', state: 'running' as const, labels: {}, params: {},
        inputs: {a: {key: 'a', url: 'data', path: store.objects.path(v.sha256), sha256: v.sha256, size: v.size, artifact: {id: v.id, key: v.key, kind: v.kind, uri: v.uri}}},
        declaredOutputs: [], outputs: {}, results: {}, error: null, exitCode: null, signal: null, pid: process.pid, host: 'h', codeHash: null,
        workflowId: null, step: null, created: now, started: now, ended: null,
      }
      await removeVersions(store, [v], {force: true}) // between resolving the input and recording the run
      expect(() => store.runs.create(run)).to.throw(/Input "a": store:\/\/.* was removed while the run was starting/)
      expect(store.runs.get(run.uid)).to.equal(undefined)
    } finally {
      t.cleanup()
    }
  })
})
