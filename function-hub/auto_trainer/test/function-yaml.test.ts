// function.yaml describes what the source defines: every handler exists, every parameter is documented and named in
// the handler's signature; the hub offers the scikit-learn trainer and the TypeScript one under their own names.

import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {expect} from 'chai'
import {parse} from 'yaml'
import {json, lode, tempDir} from '../../../test/helpers/project.ts'

const folder = fileURLToPath(new URL('..', import.meta.url))
const spec = parse(readFileSync(`${folder}/function.yaml`, 'utf8')) as {
  name: string; version: string; kind: string; source: string; default_handler: string
  handlers: {name: string; doc: string; param_prefixes?: string[]; parameters: {name: string; type: string; doc: string}[]; inputs: {name: string; doc: string}[]; outputs: string[]}[]
}
const source = readFileSync(`${folder}/${spec.source}`, 'utf8')

/** The names in a top-level `def NAME(...)` signature of the source. */
function signature(name: string): string[] {
  const match = new RegExp(`^def ${name}\\(([^]*?)\\)(?: -> [^:]+)?:`, 'm').exec(source)
  expect(match, `def ${name}`).to.not.equal(null)
  return match![1]!.split(',').map((p) => p.trim().split(/[:=\s]/)[0]!).filter(Boolean)
}

describe('auto_trainer function.yaml', () => {
  it('names a python source that defines every handler, each taking its declared params and inputs', () => {
    expect(spec).to.include({name: 'auto_trainer', kind: 'python', source: 'auto_trainer.py'})
    expect(spec.version).to.equal('2.0.0')
    expect(spec.handlers.map((h) => h.name)).to.deep.equal(['train', 'evaluate', 'predict']).and.include(spec.default_handler)
    for (const handler of spec.handlers) {
      const names = signature(handler.name)
      expect(names[0], handler.name).to.equal('context')
      for (const p of [...handler.parameters, ...handler.inputs]) expect(names, `${handler.name}(${p.name})`).to.include(p.name)
    }
    expect(spec.handlers[0]!.param_prefixes).to.deep.equal(['CLASS_', 'FIT_', 'TRAIN_'])
  })

  it('documents every handler, parameter and input with a known type', () => {
    for (const handler of spec.handlers) {
      expect(handler.doc.length, handler.name).to.be.greaterThan(40)
      for (const p of handler.parameters) {
        expect(['str', 'int', 'float', 'bool', 'list', 'dict', 'any'], p.name).to.include(p.type)
        expect(p.doc, p.name).to.be.a('string').and.not.equal('')
      }
      for (const input of handler.inputs) expect(input.doc, input.name).to.be.a('string').and.not.equal('')
      expect(handler.outputs.length, handler.name).to.be.greaterThan(0)
    }
  })

  it('the built-in hub lists auto_trainer (python, 2.0.0) and the TypeScript learners as auto_trainer_ts', () => {
    const functions = json(lode(['hub', 'ls', '--json'], {cwd: tempDir('lode-hub-ls-')})).data.functions as {name: string; kind: string; latest: string}[]
    expect(functions.find((f) => f.name === 'auto_trainer')).to.include({kind: 'python', latest: '2.0.0'})
    expect(functions.find((f) => f.name === 'auto_trainer_ts')).to.include({kind: 'node', latest: '1.0.0'})
  })
})
