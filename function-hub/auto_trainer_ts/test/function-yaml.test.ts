// function.yaml describes what the source exports: every handler exists, every parameter is documented.

import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {expect} from 'chai'
import {parse} from 'yaml'

const folder = fileURLToPath(new URL('..', import.meta.url))
const spec = parse(readFileSync(`${folder}/function.yaml`, 'utf8')) as {
  name: string; version: string; kind: string; source: string; default_handler: string; requirements: unknown[]
  handlers: {name: string; doc: string; parameters: {name: string; type: string; doc: string}[]; inputs: {name: string; doc: string}[]; outputs: string[]}[]
}

describe('auto_trainer_ts function.yaml', () => {
  it('names a node source that exports every handler, the default one included', async () => {
    expect(spec).to.include({name: 'auto_trainer_ts', kind: 'node'})
    expect(spec.version).to.match(/^\d+\.\d+\.\d+$/)
    expect(spec.requirements).to.deep.equal([])
    const module = (await import(`${folder}/${spec.source}`)) as Record<string, unknown>
    for (const handler of spec.handlers) expect(module[handler.name], handler.name).to.be.a('function')
    expect(spec.handlers.map((h) => h.name)).to.include(spec.default_handler)
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
})
