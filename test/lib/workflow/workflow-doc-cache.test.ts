// Workflow files are parsed once per content: a rerun of a large workflow reads the parsed document back.
import {expect} from 'chai'
import {readdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseRemembered} from '../../../src/lib/workflow/doc-cache.ts'
import {parseYamlFile} from '../../../src/lib/workflow/load.ts'
import {loadYaml} from '../../../src/lib/project/project-file.ts'
import {tempDir} from '../../helpers/project.ts'

describe('workflow files: parsed once per content', () => {
  let dir: string
  let calls: number
  const parse = (text: string) => {
    calls++
    return loadYaml().parse(text) as unknown
  }
  beforeEach(() => {
    dir = tempDir()
    calls = 0
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('parses a text once and reads the same value back after; an edited text is parsed anew', () => {
    const text = 'name: w\nsteps:\n  a: {function: a.ts, params: {n: 3, f: 0.5, s: "x", l: [1, null, true]}}\n'
    const first = parseRemembered(text, parse, dir)
    const second = parseRemembered(text, parse, dir)
    expect(calls).to.equal(1)
    expect(second).to.deep.equal(first)
    expect(readdirSync(join(dir, 'workflow-docs'))).to.have.length(1)
    const edited = parseRemembered(text.replace('n: 3', 'n: 4'), parse, dir) as {steps: {a: {params: {n: number}}}}
    expect(calls).to.equal(2)
    expect(edited.steps.a.params.n).to.equal(4)
  })

  it('does not remember what JSON cannot hold exactly (a big integer, .inf, .nan, -0), nor a text that fails to parse', () => {
    for (const value of ['.inf', '-0', '.nan']) {
      calls = 0
      const text = `p: ${value}\n`
      const a = parseRemembered(text, parse, dir) as {p: number}
      const b = parseRemembered(text, parse, dir) as {p: number}
      expect(calls, value).to.equal(2)
      expect(Object.is(a.p, b.p) || (Number.isNaN(a.p) && Number.isNaN(b.p)), value).to.equal(true)
    }
    const big = () => parseRemembered('p: 1\n', () => ({p: 2n ** 64n}), dir)
    expect(big()).to.deep.equal({p: 2n ** 64n})
    expect(() => parseRemembered('p: 1\n', () => {
      throw new Error('not YAML')
    }, join(dir, 'other'))).to.throw('not YAML')
    expect(parseRemembered('p: 1\n', parse, join(dir, 'other'))).to.deep.equal({p: 1})
  })

  it('a workflow file edited between two runs is read as edited', () => {
    const previous = process.env.LODE_CACHE_DIR
    process.env.LODE_CACHE_DIR = join(dir, 'cache')
    try {
      const file = join(dir, 'workflow.yaml')
      writeFileSync(file, 'name: w\nsteps:\n  a: {function: a.ts, params: {n: 1}}\n')
      expect(parseYamlFile(file).steps[0]!.params).to.deep.equal({n: 1})
      expect(parseYamlFile(file).steps[0]!.params).to.deep.equal({n: 1})
      writeFileSync(file, 'name: w\nsteps:\n  a: {function: a.ts, params: {n: 2}}\n')
      expect(parseYamlFile(file).steps[0]!.params).to.deep.equal({n: 2})
      expect(() => parseYamlFile((writeFileSync(file, 'name: w\nsteps: [\n'), file))).to.throw(/not valid YAML/)
    } finally {
      if (previous === undefined) delete process.env.LODE_CACHE_DIR
      else process.env.LODE_CACHE_DIR = previous
    }
  })
})
