// Hyperparameter runs from the library (project.run with hyperparams) and from workflow steps (hyperparams:).
import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {SweepRun} from '../../src/lib/hyper/run-command.ts'
import {json, lode, tempProject} from '../helpers/project.ts'

const HANDLER = `
export async function train(ctx, {lr, depth}) {
  ctx.logResult('accuracy', 1 - Math.abs(lr - 0.1) - depth / 100)
  await ctx.logArtifact('model', {body: 'lr=' + lr + ' depth=' + depth}, {format: 'txt'})
}
export async function read(ctx, {model}) {
  const {readFileSync} = await import('node:fs')
  ctx.logResult('model', readFileSync(model.localPath(), 'utf8'))
}
`

describe('sweeps: the library API and workflow steps', function () {
  this.timeout(120_000)

  it('project.run with hyperparams returns the parent with its best iteration and iterations', async () => {
    const t = await tempProject('p')
    try {
      t.write('train.mjs', HANDLER)
      const run = (await t.project.run('train.mjs#train', {
        params: {depth: 2}, hyperparams: {lr: [0.01, 0.1, 0.3]}, hyperOptions: {selector: 'max.accuracy', parallel: 2}, outputs: ['model'],
      })) as SweepRun
      expect(run.state).to.equal('completed')
      expect(run.iterations.map((i) => i.params)).to.deep.equal([{lr: 0.01}, {lr: 0.1}, {lr: 0.3}])
      expect(run.hyper.best).to.include({iter: 2})
      expect(run.results.best_iteration).to.equal(2)
      expect(String(run.outputs.model)).to.match(new RegExp(`model#2@${run.iterations[1]!.uid}$`))
      expect(t.project.store.runs.list({parent: run.uid}).map((r) => r.params)).to.deep.equal([{depth: 2, lr: 0.01}, {depth: 2, lr: 0.1}, {depth: 2, lr: 0.3}])
      let refused: unknown
      await t.project.run('train.mjs#train', {hyperparams: {lr: [1, 2]}, hyperOptions: {strategy: 'list', selector: 'max.'}}).catch((e) => (refused = e))
      expect(String(refused)).to.include('Malformed --selector')
    } finally {
      t.cleanup()
    }
  })

  it('a workflow step with hyperparams: runs the sweep, passes the best model on, is cached, and --explain says why it reruns', async () => {
    const t = await tempProject('p')
    try {
      t.write('train.mjs', HANDLER)
      const workflow = (strategy: string) => `
steps:
  train:
    function: train.mjs
    handler: train
    params: {depth: 1}
    hyperparams: {lr: [0.01, 0.1, 0.5]}
    hyper_options: {strategy: ${strategy}, selector: max.accuracy, parallel_runs: 2}
    outputs: [model]
  read:
    function: train.mjs
    handler: read
    inputs: {model: "{{ steps.train.outputs.model }}"}
`
      writeFileSync(join(t.dir, 'w.yaml'), workflow('grid'))
      const first = lode(['workflow', 'run', 'w.yaml', '--json'], {cwd: t.dir})
      expect(first.code, first.stderr).to.equal(0)
      const byName = (r: any) => Object.fromEntries(r.data.steps.map((s: any) => [s.name, s]))
      const steps = byName(json(first))
      const read = t.project.store.runs.get(steps.read.run)!
      expect(read.results.model).to.equal('lr=0.1 depth=1')
      const parent = t.project.store.runs.get(steps.train.run)!
      expect(t.project.store.hyper.get(parent.uid)!.best!.iter).to.equal(2)
      expect(parent.workflowId).to.equal(read.workflowId)
      const again = byName(json(lode(['workflow', 'run', 'w.yaml', '--json'], {cwd: t.dir})))
      expect(again.train.state).to.equal('cached')
      writeFileSync(join(t.dir, 'w.yaml'), workflow('list'))
      const explain = lode(['workflow', 'run', 'w.yaml', '--explain'], {cwd: t.dir})
      expect(explain.stdout).to.include('hyperparams or hyper_options changed')
      // one more value: the iterations that ran before are reused, like steps, and --explain says so
      writeFileSync(join(t.dir, 'w.yaml'), workflow('grid').replace('[0.01, 0.1, 0.5]', '[0.01, 0.1, 0.5, 0.7]'))
      expect(lode(['workflow', 'run', 'w.yaml', '--explain'], {cwd: t.dir}).stdout).to.include('3 of 4 iterations ran before with the same code, params and inputs')
      const grown = byName(json(lode(['workflow', 'run', 'w.yaml', '--json'], {cwd: t.dir})))
      const summary = t.project.store.hyper.get(grown.train.run)!
      expect(summary.iterations.map((i) => [i.state, Boolean(i.cached)])).to.deep.equal([['completed', true], ['completed', true], ['completed', true], ['completed', false]])
      expect(summary.iterations[1]!.uid).to.equal(t.project.store.hyper.get(parent.uid)!.iterations[1]!.uid)
      expect(t.project.store.runs.list({parent: grown.train.run})).to.have.length(1)
      expect(summary.best!.iter).to.equal(2)
      writeFileSync(join(t.dir, 'bad.yaml'), workflow('grid').replace('parallel_runs', 'parallel_jobs'))
      const bad = lode(['workflow', 'run', 'bad.yaml'], {cwd: t.dir})
      expect(bad.code).to.equal(2)
      expect(bad.stderr).to.include('steps.train.hyper_options.parallel_jobs: unknown option')
    } finally {
      t.cleanup()
    }
  })
})
