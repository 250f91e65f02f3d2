import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {diamondYaml, removeProject, STEPS_TS, tempProject} from './fixtures.ts'

const {Project} = await import('../../../src/lib/project/project.ts')
const {runWorkflow} = await import('../../../src/lib/workflow/run-workflow.ts')
const {explainWorkflow} = await import('../../../src/lib/workflow/explain.ts')
const {WorkflowRecords} = await import('../../../src/lib/store/workflows.ts')

type Summary = Awaited<ReturnType<typeof runWorkflow>>
const stateOf = (s: Summary) => Object.fromEntries(s.steps.map((x) => [x.name, x.state]))
const runOf = (s: Summary, step: string) => s.steps.find((x) => x.name === step)!.run

const FAILING_B = `export async function combine(ctx: any) { await new Promise((r) => setTimeout(r, 50)); throw new Error('b is broken') }\n`
const FIXED_B = STEPS_TS

describe('workflow runs (library)', function () {
  this.timeout(60_000)
  let dir: string
  let project: Awaited<ReturnType<typeof Project.open>>
  const open = async (files: Record<string, string>) => {
    dir = tempProject(files)
    project = await Project.open(dir)
  }
  const run = (extra: Parameters<typeof runWorkflow>[1] = {}) => runWorkflow(project, {ref: 'workflow.yaml', parallel: 2, cwd: dir, ...extra})
  afterEach(() => {
    project?.close()
    if (dir) removeProject(dir)
  })

  it('runs independent steps in parallel, groups the runs under the workflow, then reuses every step', async () => {
    // b and c wait for each other to start: run one after the other, they would fail
    const paired = diamondYaml().replace('params: {suffix: "-b"}', 'params: {suffix: "-b", meet: b, partner: c}')
      .replace('params: {suffix: "-{{ params.c_text }}"}', 'params: {suffix: "-{{ params.c_text }}", meet: c, partner: b}')
    await open({'workflow.yaml': paired})
    const first = await run()
    expect(first.state).to.equal('completed')
    expect(stateOf(first)).to.deep.equal({a: 'done', b: 'done', c: 'done', d: 'done'})
    const b = first.steps.find((s) => s.name === 'b')!.results as {start: number; end: number}
    const c = first.steps.find((s) => s.name === 'c')!.results as {start: number; end: number}
    // b and c both depend on a only: with two slots their handlers overlap in time.
    expect(b.start).to.be.below(c.end)
    expect(c.start).to.be.below(b.end)
    const grouped = project.store.runs.list({workflowId: first.id})
    expect(grouped.map((r) => r.step).sort()).to.deep.equal(['a', 'b', 'c', 'd'])
    expect(first.outputs.final).to.equal(first.steps.find((s) => s.name === 'd')!.outputs.out)
    const finalText = await project.store.objects.readVerified(project.store.artifacts.resolve({key: 'out', producer: runOf(first, 'd')!}).sha256)
    expect(finalText.toString()).to.equal('hello-b+hello-c')

    const again = await run()
    expect(stateOf(again)).to.deep.equal({a: 'cached', b: 'cached', c: 'cached', d: 'cached'})
    for (const step of ['a', 'b', 'c', 'd']) expect(runOf(again, step)).to.equal(runOf(first, step))
    expect(again.id).to.not.equal(first.id)

    const forced = await run({noCache: true})
    expect(stateOf(forced)).to.deep.equal({a: 'done', b: 'done', c: 'done', d: 'done'})
    expect(runOf(forced, 'a')).to.not.equal(runOf(first, 'a'))
  })

  it('explains, after one param changed, that only that step and its dependents rerun, then does just that', async () => {
    await open({'workflow.yaml': diamondYaml()})
    const before = await explainWorkflow(project, {ref: 'workflow.yaml', cwd: dir})
    expect(before.steps.map((s) => s.reasons[0])).to.deep.equal(['never ran', 'upstream step a will rerun', 'upstream step a will rerun', 'upstream step b will rerun'])
    const first = await run()
    const explained = await explainWorkflow(project, {ref: 'workflow.yaml', cwd: dir, params: {c_text: 'z'}})
    expect(explained.steps).to.deep.equal([
      {step: 'a', action: 'cached', reasons: [`cached (run ${runOf(first, 'a')!.slice(0, 8)})`], run: runOf(first, 'a')},
      {step: 'b', action: 'cached', reasons: [`cached (run ${runOf(first, 'b')!.slice(0, 8)})`], run: runOf(first, 'b')},
      {step: 'c', action: 'run', reasons: ['params.suffix changed (-c -> -z)'], run: null},
      {step: 'd', action: 'run', reasons: ['upstream step c will rerun'], run: null},
    ])
    expect(new WorkflowRecords(project.store.db).list()).to.have.length(1)
    const second = await run({params: {c_text: 'z'}})
    expect(stateOf(second)).to.deep.equal({a: 'cached', b: 'cached', c: 'done', d: 'done'})

    // The handler file edited: "code changed" for every step that uses it.
    writeFileSync(join(dir, 'steps.ts'), `${STEPS_TS}\n// edited\n`)
    const edited = await explainWorkflow(project, {ref: 'workflow.yaml', cwd: dir, params: {c_text: 'z'}})
    expect(edited.steps[0]).to.include({step: 'a', action: 'run'})
    expect(edited.steps[0]!.reasons).to.deep.equal(['code changed'])
  })

  it('reruns a step when a project file its handler imports changed, and only then', async () => {
    const handler = `import {scale} from './lib/scale.ts'\nexport async function make(ctx: any) { ctx.logResults({v: scale * 2}); await ctx.logArtifact('out', {body: String(scale * 2)}) }\n`
    await open({'workflow.yaml': 'steps:\n  a: {function: scaled.ts#make, outputs: [out]}\n', 'scaled.ts': handler, 'lib/scale.ts': 'export const scale = 3\n'})
    const first = await run()
    expect(stateOf(first)).to.deep.equal({a: 'done'})
    expect(first.steps[0]!.results).to.deep.equal({v: 6})
    expect(stateOf(await run())).to.deep.equal({a: 'cached'})

    writeFileSync(join(dir, 'lib/scale.ts'), 'export const scale = 4\n')
    const explained = await explainWorkflow(project, {ref: 'workflow.yaml', cwd: dir})
    expect(explained.steps[0]).to.include({step: 'a', action: 'run'})
    expect(explained.steps[0]!.reasons).to.deep.equal(['code changed'])
    const second = await run()
    expect(stateOf(second)).to.deep.equal({a: 'done'})
    expect(second.steps[0]!.results).to.deep.equal({v: 8})
    expect(stateOf(await run())).to.deep.equal({a: 'cached'})
  })

  it('reruns a step when a secret it names changed, was added or removed; the record keeps no value nor plain hash of it', async () => {
    const yaml = (secrets: string) => `steps:\n  a: {function: steps.ts#make, params: {text: t, delay: 0}, outputs: [out]${secrets}}\n`
    await open({'lode.yaml': 'name: wf\nsecrets:\n  tok: {file: tok.txt}\n  other: {file: other.txt}\n', 'tok.txt': 'first-token-value', 'other.txt': 'another-secret', 'workflow.yaml': yaml(', secrets: [tok]')})
    const first = await run()
    expect(stateOf(first), JSON.stringify(first.steps)).to.deep.equal({a: 'done'})
    expect(stateOf(await run())).to.deep.equal({a: 'cached'})

    writeFileSync(join(dir, 'tok.txt'), 'second-token-value')
    const explained = await explainWorkflow(project, {ref: 'workflow.yaml', cwd: dir})
    expect(explained.steps[0]).to.deep.include({action: 'run', reasons: ['secret tok changed']})
    const second = await run()
    expect(stateOf(second), JSON.stringify(second.steps)).to.deep.equal({a: 'done'})
    expect(stateOf(await run())).to.deep.equal({a: 'cached'})
    writeFileSync(join(dir, 'workflow.yaml'), yaml(', secrets: [tok, other]'))
    expect((await explainWorkflow(project, {ref: 'workflow.yaml', cwd: dir})).steps[0]!.reasons).to.deep.equal(['secret other added'])
    expect(stateOf(await run())).to.deep.equal({a: 'done'})
    // back to the first value: that run is reused
    writeFileSync(join(dir, 'tok.txt'), 'first-token-value')
    writeFileSync(join(dir, 'workflow.yaml'), yaml(', secrets: [tok]'))
    const back = await run()
    expect(stateOf(back)).to.deep.equal({a: 'cached'})
    expect(runOf(back, 'a')).to.equal(runOf(first, 'a'))

    const {createHash} = await import('node:crypto')
    const stored = JSON.stringify(project.store.db.all('SELECT * FROM workflow_steps'))
    for (const value of ['first-token-value', 'second-token-value']) {
      expect(stored).to.not.include(value)
      expect(stored).to.not.include(createHash('sha256').update(value).digest('hex'))
    }
  })

  it('a failed middle step skips only its dependents; resume after fixing it reruns just what is left', async () => {
    await open({'workflow.yaml': diamondYaml().replace('function: steps.ts#combine\n    inputs: {x: "{{ steps.a.outputs.out }}"}\n    params: {suffix: "-b"}', 'function: b.ts#combine\n    inputs: {x: "{{ steps.a.outputs.out }}"}\n    params: {suffix: "-b"}'), 'b.ts': FAILING_B})
    const failed = await run()
    expect(failed.state).to.equal('error')
    expect(stateOf(failed)).to.deep.equal({a: 'done', b: 'failed', c: 'done', d: 'skipped'})
    expect(failed.steps.find((s) => s.name === 'b')!.error).to.include('b is broken')
    expect(failed.steps.find((s) => s.name === 'd')!.error).to.equal('upstream step b failed')
    expect(failed.error).to.equal('failed step: b')

    writeFileSync(join(dir, 'b.ts'), FIXED_B)
    const resumed = await runWorkflow(project, {resume: failed.id.slice(0, 8), parallel: 2, cwd: dir})
    expect(resumed.id).to.equal(failed.id)
    expect(resumed.state).to.equal('completed')
    expect(stateOf(resumed)).to.deep.equal({a: 'cached', b: 'done', c: 'cached', d: 'done'})
    expect(runOf(resumed, 'a')).to.equal(runOf(failed, 'a'))
    expect(runOf(resumed, 'c')).to.equal(runOf(failed, 'c'))
    expect(project.store.runs.list({workflowId: failed.id}).map((r) => `${r.step}:${r.state}`).sort())
      .to.deep.equal(['a:completed', 'b:completed', 'b:error', 'c:completed', 'd:completed'])
  })

  it('resuming a workflow whose file was deleted says so (not found), and records nothing', async () => {
    await open({'workflow.yaml': diamondYaml({bHandler: 'boom'})})
    const failed = await run()
    expect(failed.state).to.equal('error')
    const {rmSync} = await import('node:fs')
    rmSync(join(dir, 'workflow.yaml'))
    const {NotFoundError} = await import('../../../src/lib/errors.ts')
    let error: unknown
    try {
      await runWorkflow(project, {resume: failed.id.slice(0, 8), parallel: 2, cwd: dir})
    } catch (e) {
      error = e
    }
    expect(error, String(error)).to.be.instanceOf(NotFoundError)
    expect((error as Error).message).to.include(`${join(dir, 'workflow.yaml')}, which no longer exists`)
    expect(new WorkflowRecords(project.store.db).get(failed.id)!.state).to.equal('error')
  })

  it('Ctrl-C (an aborted signal) stops the running steps, marks the workflow aborted, and it can be resumed', async () => {
    await open({'workflow.yaml': diamondYaml().replace('params: {suffix: "-b"}', 'params: {suffix: "-b", delay: 20000}')})
    const controller = new AbortController()
    const aborted = await run({
      signal: controller.signal,
      onEvent: (e) => {
        if (e.t === 'wf-step' && e.step === 'b' && e.state === 'running') setTimeout(() => controller.abort(), 100)
      },
    })
    expect(aborted.state).to.equal('aborted')
    const states = stateOf(aborted)
    expect(states).to.include({a: 'done', b: 'aborted'})
    expect(states.d).to.be.oneOf(['waiting', 'skipped'])
    expect(project.store.runs.get(runOf(aborted, 'b')!)!.state).to.equal('aborted')

    writeFileSync(join(dir, 'workflow.yaml'), diamondYaml())
    const resumed = await runWorkflow(project, {resume: aborted.id, parallel: 2, cwd: dir})
    expect(resumed.state).to.equal('completed')
    expect(stateOf(resumed).a).to.equal('cached')
    expect(stateOf(resumed).d).to.equal('done')
  })

  it('refuses an invalid workflow before anything runs or is recorded', async () => {
    await open({'workflow.yaml': 'steps:\n  a: {function: steps.ts#make, inputs: {x: "{{ steps.b.outputs.out }}"}, outputs: [out]}\n  b: {function: steps.ts#make, inputs: {x: "{{ steps.a.outputs.out }}"}, outputs: [out]}\n'})
    let message = ''
    await run().catch((e: Error) => (message = e.message))
    expect(message).to.include('a cycle')
    writeFileSync(join(dir, 'workflow.yaml'), 'steps:\n  a: {function: nope.ts, outputs: [out]}\n')
    await run().catch((e: Error) => (message = e.message))
    expect(message).to.include('steps.a.function: No such function file "nope.ts"')
    expect(project.store.runs.list()).to.have.length(0)
    expect(new WorkflowRecords(project.store.db).list()).to.have.length(0)
  })

  it('runs a TypeScript workflow: project.run calls are steps, memoized, grouped, concurrent with Promise.all', async () => {
    await open({'workflow.ts': `
import type {Run} from 'lode'
export default async function (project: any, params: Record<string, unknown>) {
  const a: Run = await project.run('steps.ts', {handler: 'make', step: 'a', params: {text: params.text ?? 'hi'}, outputs: ['out']})
  const [b, c] = await Promise.all([
    project.run('steps.ts', {handler: 'combine', step: 'b', inputs: {x: a.outputs.out}, params: {meet: 'b', partner: 'c'}, outputs: ['out']}),
    project.run('steps.ts', {handler: 'combine', step: 'c', inputs: {x: a.outputs.out}, params: {suffix: '!', meet: 'c', partner: 'b'}, outputs: ['out']}),
  ])
  const d = await project.run('steps.ts', {handler: 'combine', inputs: {l: b.outputs.out, r: c.outputs.out}, outputs: ['out']})
  return {final: d.outputs.out}
}
`})
    const first = await runWorkflow(project, {ref: 'workflow.ts', parallel: 2, cwd: dir})
    expect(first.state).to.equal('completed')
    expect(stateOf(first)).to.deep.equal({a: 'done', b: 'done', c: 'done', 'steps-combine': 'done'})
    const b = first.steps.find((s) => s.name === 'b')!.results as {start: number; end: number}
    const c = first.steps.find((s) => s.name === 'c')!.results as {start: number; end: number}
    expect(b.start).to.be.below(c.end)
    expect(c.start).to.be.below(b.end)
    expect(first.outputs.final).to.match(/^store:\/\/artifacts\/wf\/out@/)
    expect(project.store.runs.list({workflowId: first.id})).to.have.length(4)
    const again = await runWorkflow(project, {ref: 'workflow.ts', parallel: 2, cwd: dir, params: {text: 'hi'}})
    expect(Object.values(stateOf(again))).to.deep.equal(['cached', 'cached', 'cached', 'cached'])
  })

  it('a failing step of a TypeScript workflow fails the workflow; its siblings still finish', async () => {
    await open({'workflow.ts': `
export default async function (project: any) {
  await Promise.all([
    project.run('steps.ts', {handler: 'boom', step: 'bad'}),
    project.run('steps.ts', {handler: 'make', step: 'good', params: {delay: 300}, outputs: ['out']}),
  ])
  await project.run('steps.ts', {handler: 'make', step: 'never'})
}
`})
    const result = await runWorkflow(project, {ref: 'workflow.ts', parallel: 2, cwd: dir})
    expect(result.state).to.equal('error')
    expect(result.error).to.include('step bad failed')
    expect(stateOf(result)).to.deep.equal({bad: 'failed', good: 'done'})
  })
})
