// Names every object inherits (constructor, toString) are names like any other: a command's {params.NAME} and a
// workflow summary's declared outputs read only what a run was given or logged.
import {expect} from 'chai'
import {planExec} from '../../../src/lib/runtimes/exec.ts'
import type {HandlerSpec} from '../../../src/lib/types.ts'
import {formatSummary, type WorkflowSummary} from '../../../src/lib/workflow/summary.ts'

describe('names an object inherits', () => {
  it('leaves {params.constructor} as written when no such param was given, and fills a real one', () => {
    const spec = {uid: 'u', name: 'n', project: 'p', kind: 'exec', file: null, handler: null, params: {n: 3}, inputs: {}, stagingDir: '/tmp/s', projectDir: '/tmp'} as unknown as HandlerSpec
    const plan = planExec(['echo', '{params.constructor}', '{params.toString}', 'n={params.n}'], spec)
    expect(plan.args).to.deep.equal(['{params.constructor}', '{params.toString}', 'n=3'])
  })

  it('shows no output named constructor in a workflow summary when the step logged none', () => {
    const w: WorkflowSummary = {
      id: 'abcdef0123', name: 'wf', file: null, state: 'completed', params: {}, created: 0, ended: 1, durationMs: 1, error: null, outputs: {},
      steps: [{name: 's', state: 'done', run: 'r1234567', function: 'f', durationMs: 1, outputs: {model: 'store://x'}, declaredOutputs: ['constructor', 'model'], results: {}, error: null}],
    }
    const text = formatSummary(w)
    expect(text).to.contain('model=store://x').and.not.contain('constructor').and.not.contain('undefined')
  })
})
