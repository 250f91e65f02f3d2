import {expect} from 'chai'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import YAML from 'yaml'

const {buildDag, downstreamOf} = await import('../../../src/lib/workflow/dag.ts')
const {parseWorkflowDoc} = await import('../../../src/lib/workflow/spec.ts')
const {parseYamlFile} = await import('../../../src/lib/workflow/load.ts')
const {render, findRefs} = await import('../../../src/lib/workflow/template.ts')

function spec(yaml: string) {
  return parseWorkflowDoc(YAML.parse(yaml), {file: 'workflow.yaml', dir: '/tmp', name: 'w'})
}

function errorOf(fn: () => unknown): Error & {exitCode?: number} {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected an error')
}

const DIAMOND = `
params: {n: 3}
steps:
  e: {function: s.ts, inputs: {x: "{{ steps.d.outputs.out }}"}}
  d: {function: s.ts, inputs: {l: "{{ steps.b.outputs.out }}", r: "{{ steps.c.outputs.out }}"}, outputs: [out]}
  b: {function: s.ts, inputs: {x: "{{ steps.a.outputs.out }}"}, outputs: [out]}
  c: {function: s.ts, inputs: {x: "{{ steps.a.outputs.out }}"}, params: {n: "{{ params.n }}"}, outputs: [out]}
  a: {function: s.ts, outputs: [out]}
`

describe('workflow DAG', () => {
  it('infers the dependencies from references, in a topological order', () => {
    const dag = buildDag(spec(DIAMOND))
    expect(dag.deps.get('d')).to.have.members(['b', 'c'])
    expect(dag.deps.get('a')).to.deep.equal([])
    expect(dag.order).to.deep.equal(['a', 'b', 'c', 'd', 'e'])
    expect([...downstreamOf(dag, 'b')]).to.have.members(['d', 'e'])
    expect([...downstreamOf(dag, 'e')]).to.deep.equal([])
  })

  it('refuses a cycle, naming the steps and the fields', () => {
    const err = errorOf(() => buildDag(spec(`
steps:
  a: {function: s.ts, inputs: {x: "{{ steps.c.outputs.out }}"}, outputs: [out]}
  b: {function: s.ts, inputs: {x: "{{ steps.a.outputs.out }}"}, outputs: [out]}
  c: {function: s.ts, inputs: {x: "{{ steps.b.outputs.out }}"}, outputs: [out]}
`)))
    expect(err.message).to.include('a cycle: a needs c needs b needs a')
    expect(err.message).to.include('steps.a.inputs.x')
    expect(err.exitCode).to.equal(2)
  })

  it('refuses a step that references itself', () => {
    const err = errorOf(() => buildDag(spec('steps:\n  a: {function: s.ts, params: {x: "{{ steps.a.outputs.out }}"}, outputs: [out]}\n')))
    expect(err.message).to.include('a cycle: a needs a')
  })

  it('refuses a dangling reference to an unknown step, naming the step and field', () => {
    const err = errorOf(() => buildDag(spec(`
steps:
  ingest: {function: s.ts, outputs: [dataset]}
  train: {function: s.ts, inputs: {dataset: "{{ steps.ingst.outputs.dataset }}"}}
`)))
    expect(err.message).to.include('steps.train.inputs.dataset: unknown step "ingst"')
  })

  it('refuses a reference to an output the step does not declare', () => {
    const err = errorOf(() => buildDag(spec(`
steps:
  ingest: {function: s.ts, outputs: [dataset]}
  train: {function: s.ts, inputs: {dataset: "{{ steps.ingest.outputs.data }}"}}
`)))
    expect(err.message).to.include('steps.train.inputs.dataset: unknown output "data" of step "ingest" (its outputs: dataset)')
  })

  it('refuses an unknown param and a malformed reference, listing every problem', () => {
    const err = errorOf(() => buildDag(spec(`
params: {label: label}
steps:
  train: {function: s.ts, params: {label: "{{ params.lable }}", bad: "{{ nonsense }}"}, after: [nowhere]}
`)))
    expect(err.message).to.include('steps.train.params.label: unknown param "lable"')
    expect(err.message).to.include('declared params: label')
    expect(err.message).to.include('steps.train.params.bad: cannot read "{{ nonsense }}"')
    expect(err.message).to.include('steps.train.after[0]: unknown step "nowhere"')
  })

  it('refuses a malformed shape, naming the field', () => {
    expect(errorOf(() => spec('steps:\n  a: {handler: x}\n')).message).to.include('steps.a.function: required')
    expect(errorOf(() => spec('steps:\n  a: {function: s.ts, outputs: {x: 1}}\n')).message).to.include('steps.a.outputs: must be a list')
    expect(errorOf(() => spec('steps:\n  a: {function: s.ts, inputz: {}}\n')).message).to.include('steps.a.inputz: unknown field')
    expect(errorOf(() => spec('name: w\n')).message).to.include('steps: must be a mapping')
  })

  it('refuses malformed YAML before anything runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lode-wf-yaml-'))
    try {
      writeFileSync(join(dir, 'workflow.yaml'), 'steps:\n  a: {function: s.ts\n  b: [\n')
      const err = errorOf(() => parseYamlFile(join(dir, 'workflow.yaml')))
      expect(err.message).to.match(/is not valid YAML \(nothing was run\)/)
      expect(err.exitCode).to.equal(2)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('the `after` field orders steps without a value flowing', () => {
    const dag = buildDag(spec('steps:\n  b: {function: s.ts, after: [a]}\n  a: {function: s.ts}\n'))
    expect(dag.order).to.deep.equal(['a', 'b'])
  })
})

describe('workflow templating', () => {
  const lookup = (ref: {type: string; name?: string; step?: string; key?: string}) =>
    ref.type === 'param' ? ({n: 100, name: 'rf', list: [1, 2], flag: false} as Record<string, unknown>)[ref.name!] : ref.key === 'out' ? 'store://artifacts/p/out@abc' : undefined

  it('a whole-string reference keeps the JSON type', () => {
    expect(render('{{ params.n }}', lookup as never)).to.equal(100)
    expect(render('{{params.list}}', lookup as never)).to.deep.equal([1, 2])
    expect(render(' {{ params.flag }} '.trim(), lookup as never)).to.equal(false)
    expect(render({a: ['{{ params.n }}']}, lookup as never)).to.deep.equal({a: [100]})
  })

  it('a reference inside a string interpolates', () => {
    expect(render('model-{{ params.name }}-{{ params.n }}', lookup as never)).to.equal('model-rf-100')
    expect(render('x={{ params.list }}', lookup as never)).to.equal('x=[1,2]')
    expect(render('{{ steps.a.outputs.out }}', lookup as never)).to.equal('store://artifacts/p/out@abc')
  })

  it('finds references with the field they are in', () => {
    const refs = findRefs({a: 'x {{ params.n }}', b: ['{{ steps.s.outputs.k }}']}, 'steps.t.params')
    expect(refs.map((r) => r.field)).to.deep.equal(['steps.t.params.a', 'steps.t.params.b[0]'])
    expect(refs[1]!.ref).to.deep.equal({type: 'output', step: 's', key: 'k'})
  })
})
