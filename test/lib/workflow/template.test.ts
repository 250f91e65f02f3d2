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
