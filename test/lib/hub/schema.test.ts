import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {UserError} from '../../../src/lib/errors.ts'
import {loadFunctionSpec, parseFunctionSpec} from '../../../src/lib/hub/schema.ts'
import {validateSchema} from '../../../src/lib/hub/json-schema.ts'
import {removeDir, tempDir, writeFunction} from './fixtures.ts'

const valid = `name: auto_trainer
version: 1.0.0
kind: node
description: Train models
categories: [machine-learning]
source: auto_trainer.ts
default_handler: train
handlers:
  - name: train
    doc: Train.
    parameters:
      - {name: model_class, type: str, doc: "which model"}
      - {name: split, type: float, default: 0.2}
      - {name: seed, type: int, default: 42}
    inputs:
      - {name: dataset, doc: "the data"}
    outputs: [model, accuracy]
  - name: predict
requirements: []
license: Apache-2.0
`

function problems(text: string): string[] {
  try {
    parseFunctionSpec(text, 'function.yaml')
  } catch (error) {
    expect(error).to.be.instanceOf(UserError)
    return ((error as UserError).details?.errors as string[] | undefined) ?? [(error as Error).message]
  }
  expect.fail('the spec should have been refused')
}

describe('hub/schema', () => {
  it('parses a valid function.yaml into a typed spec with defaults filled in', () => {
    const spec = parseFunctionSpec(valid)
    expect(spec.name).to.equal('auto_trainer')
    expect(spec.default_handler).to.equal('train')
    expect(spec.handlers[0]!.parameters.map((p) => p.name)).to.deep.equal(['model_class', 'split', 'seed'])
    expect(spec.handlers[0]!.parameters[0]).to.not.have.property('default')
    expect(spec.handlers[1]).to.deep.equal({name: 'predict', parameters: [], inputs: [], outputs: []})
    expect(parseFunctionSpec(valid.replace('default_handler: train\n', '')).default_handler, 'the first handler').to.equal('train')
  })

  it('names the field of a parameter with an unknown type', () => {
    expect(problems(valid.replace('{name: seed, type: int', '{name: seed, type: integer'))).to.deep.equal([
      'handlers[0].parameters[2].type: must be one of str, int, float, bool, list, dict, any, got "integer"',
    ])
  })

  it('names missing, mistyped and unknown top-level fields', () => {
    const errors = problems(valid.replace('name: auto_trainer\n', '').replace('version: 1.0.0', 'version: v1').replace('license:', 'licence:'))
    expect(errors).to.include('name: is required')
    expect(errors.some((e) => e.startsWith('version: "v1" does not match'))).to.equal(true)
    expect(errors.some((e) => e.startsWith('licence: unknown field'))).to.equal(true)
  })

  it('names a handler list that is not a list, and a handler without a name', () => {
    expect(problems(valid.replace(/handlers:[\s\S]*requirements/, 'handlers: train\nrequirements'))).to.deep.equal(['handlers: must be a list, got "train"'])
    expect(problems(valid.replace('  - name: predict\n', '  - doc: nameless\n'))).to.deep.equal(['handlers[1].name: is required'])
  })

  it('names a kind outside node, python, exec', () => {
    expect(problems(valid.replace('kind: node', 'kind: ruby'))).to.deep.equal(['kind: must be one of node, python, exec, got "ruby"'])
  })

  it('names a default of the wrong type and a default_handler that is not a handler', () => {
    expect(problems(valid.replace('default: 42', 'default: forty-two'))).to.deep.equal([
      'handlers[0].parameters[2].default: must be an integer (the declared type is int), got "forty-two"',
    ])
    expect(problems(valid.replace('default_handler: train', 'default_handler: fit'))).to.deep.equal([
      'default_handler: "fit" is not one of the handlers (train, predict)',
    ])
  })

  it('reports malformed YAML with its line', () => {
    let error: UserError | undefined
    try {
      parseFunctionSpec('name: x\nversion: 1.0.0\nhandlers: [a, b\nkind: node\n', '/tmp/f/function.yaml')
    } catch (e) {
      error = e as UserError
    }
    expect(error).to.be.instanceOf(UserError)
    expect(error!.message).to.match(/^\/tmp\/f\/function\.yaml:4:1: invalid YAML: Flow sequence .*must be sufficiently indented and end with a \]$/)
    expect(error!.details?.line).to.be.a('number')
  })

  it('refuses a function.yaml whose aliases expand past what lode reads, as bad input', () => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n'
    for (let i = 1; i < 12; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`
    expect(() => parseFunctionSpec(text, '/tmp/f/function.yaml')).to.throw(UserError, /function\.yaml uses too many aliases/)
  })

  it('checks that the source file exists in the folder', () => {
    const root = tempDir('schema')
    try {
      const dir = writeFunction(root, {name: 'greet', version: '1.0.0'})
      expect(loadFunctionSpec(dir).source).to.equal('greet.ts')
      writeFileSync(join(dir, 'function.yaml'), valid)
      expect(() => loadFunctionSpec(dir)).to.throw(UserError, /source: "auto_trainer.ts" does not exist/)
      writeFileSync(join(dir, 'function.yaml'), valid.replace('source: auto_trainer.ts', 'source: ../../etc/passwd'))
      expect(() => loadFunctionSpec(dir)).to.throw(UserError, /must be a path inside the function folder/)
    } finally {
      removeDir(root)
    }
  })

  it('validates nested items and additionalProperties schemas generically', () => {
    const schema = {type: 'object' as const, additionalProperties: {type: 'array' as const, items: {type: 'integer' as const}}}
    expect(validateSchema(schema, {a: [1, 2], b: [1, 'x']})).to.deep.equal(['b[1]: must be an integer, got "x"'])
  })
})
