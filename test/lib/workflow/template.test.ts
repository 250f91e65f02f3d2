import {expect} from 'chai'

const {UserError} = await import('../../../src/lib/errors.ts')
const {parseWorkflowDoc} = await import('../../../src/lib/workflow/spec.ts')
const {buildDag} = await import('../../../src/lib/workflow/dag.ts')
const {lookupIn, renderStep, workflowParams} = await import('../../../src/lib/workflow/run-spec.ts')
const {render} = await import('../../../src/lib/workflow/template.ts')

const where = {file: 'w.yaml', dir: '/tmp', name: 'w'}
const spec = (params: Record<string, unknown>) =>
  parseWorkflowDoc({params: {lr: 0.1}, steps: {a: {function: 'h.ts', params}}}, where)

describe('workflow templates: only own properties are looked up', () => {
  for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
    it(`{{ params.${name} }} is an undeclared param, not something inherited from Object`, () => {
      let error: unknown
      try {
        buildDag(spec({x: `{{ params.${name} }}`}))
      } catch (e) {
        error = e
      }
      expect(error, `params.${name}`).to.be.instanceOf(UserError)
      expect((error as Error).message).to.contain(name)
    })
  }

  it('rendering never yields an inherited value, and -p constructor=1 is not a declared param', () => {
    const lookup = lookupIn({lr: 0.1}, new Map([['a', {out: 'x'}]]))
    expect(() => render('{{ params.constructor }}', lookup)).to.throw(/no value/)
    expect(() => render('{{ params.__proto__ }}', lookup)).to.throw(/no value/)
    expect(() => render('{{ steps.a.outputs.constructor }}', lookup)).to.throw(/no value/)
    expect(render('{{ params.lr }}', lookup)).to.equal(0.1)
    expect(() => workflowParams(spec({}), {constructor: 1})).to.throw(UserError, /Unknown workflow param "constructor"/)
    const step = spec({})
    expect(renderStep({...step.steps[0]!, params: {a: '{{ params.lr }}'}}, '/tmp', lookup).params).to.deep.equal({a: 0.1})
  })

  it('workflow output names are checked too (no __proto__)', () => {
    expect(() => parseWorkflowDoc({steps: {a: {function: 'h.ts'}}, outputs: JSON.parse('{"__proto__": "{{ steps.a.outputs.x }}"}')}, where)).to.throw(UserError, /outputs\.__proto__/)
  })
})

describe('workflow templates: every name a workflow may declare can be referenced', () => {
  it('an output key with "." and "/" groups, and a param name with ".", fill in', () => {
    const doc = {
      params: {'lr.base': 0.5},
      steps: {
        s: {function: 'h.ts', outputs: ['metrics/accuracy', 'model.pkl']},
        t: {function: 'h.ts', params: {acc: '{{ steps.s.outputs.metrics/accuracy }}', lr: '{{ params.lr.base }}', both: '{{ steps.s.outputs.model.pkl }}+{{ params.lr.base }}'}},
      },
    }
    const parsed = parseWorkflowDoc(doc, where)
    expect(buildDag(parsed).deps.get('t')).to.deep.equal(['s'])
    const lookup = lookupIn({'lr.base': 0.5}, new Map([['s', {'metrics/accuracy': 0.9, 'model.pkl': 'store://m'}]]))
    expect(renderStep(parsed.steps[1]!, '/tmp', lookup).params).to.deep.equal({acc: 0.9, lr: 0.5, both: 'store://m+0.5'})
    // an output the step does not declare is still refused, by name
    expect(() => buildDag(parseWorkflowDoc({...doc, steps: {...doc.steps, t: {function: 'h.ts', params: {a: '{{ steps.s.outputs.metrics/loss }}'}}}}, where)))
      .to.throw(UserError, /unknown output "metrics\/loss" of step "s"/)
  })
})
