import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {lode, tempDir, tempProject} from '../../helpers/project.ts'

const {UserError} = await import('../../../src/lib/errors.ts')
const {parseParamFlags, readParamsFile} = await import('../../../src/lib/executor/params.ts')
const {parseWorkflowDoc} = await import('../../../src/lib/workflow/spec.ts')

const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`

function refusal(fn: () => unknown): InstanceType<typeof UserError> {
  try {
    fn()
  } catch (e) {
    expect(e).to.be.instanceOf(UserError)
    return e as InstanceType<typeof UserError>
  }
  return expect.fail('should have been refused')
}

describe('executor/params: values that JSON or YAML parse but a run cannot take', () => {
  it('a param nested 5,000 deep is refused, naming the param and the depth limit', () => {
    const e = refusal(() => parseParamFlags([`x=${deep(5000)}`]))
    expect(e.message).to.match(/param x.*nested deeper than \d+ levels/i)
    expect(refusal(() => parseParamFlags([`y=${deepObject(5000)}`])).message).to.match(/param y/i)
    expect(parseParamFlags([`ok=${deep(20)}`]).ok).to.be.an('array')
  })

  it('__proto__ keys are refused (in values and as names), never silently dropped or merged', () => {
    expect(refusal(() => parseParamFlags(['cfg={"__proto__": {"polluted": 1}}'])).message).to.match(/param cfg.*"__proto__"/i)
    expect(refusal(() => parseParamFlags(['__proto__={"a": 1}'])).message).to.match(/__proto__/)
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined)
  })

  it('1e999 (Infinity once parsed) is refused with a hint to quote it', () => {
    const e = refusal(() => parseParamFlags(['lr=1e999']))
    expect(e.message).to.match(/param lr.*not a finite number.*-p lr=1e999/i)
    expect(e.hint).to.match(/quote/i)
    expect(parseParamFlags(['lr=1e-3']).lr).to.equal(0.001)
  })

  it('the same checks hold for params files (JSON and YAML) and workflow params', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'p.json'), `{"a": ${deep(5000)}}`)
    expect(refusal(() => readParamsFile(join(dir, 'p.json'))).message).to.match(/param a.*nested deeper/i)
    writeFileSync(join(dir, 'p2.json'), '{"__proto__": {"x": 1}}')
    expect(refusal(() => readParamsFile(join(dir, 'p2.json'))).message).to.match(/__proto__/)
    writeFileSync(join(dir, 'p3.yaml'), 'lr: .inf\n')
    expect(refusal(() => readParamsFile(join(dir, 'p3.yaml'))).message).to.match(/param lr.*not a finite number/i)
    writeFileSync(join(dir, 'p4.json'), '{"lr": 1e999}')
    expect(refusal(() => readParamsFile(join(dir, 'p4.json'))).message).to.match(/param lr/i)
    const where = {file: 'w.yaml', dir, name: 'w'}
    expect(refusal(() => parseWorkflowDoc({steps: {s: {function: 'h.ts', params: {lr: Number.POSITIVE_INFINITY}}}}, where)).message).to.match(/steps\.s\.params\.lr/)
  })

  it('an integer literal beyond 2^53 is refused with a hint to quote it, never rounded (-p, params files, workflows)', async () => {
    for (const literal of ['9007199254740993', '-9007199254740993', '123456789012345678901234567890']) {
      const e = refusal(() => parseParamFlags([`x=${literal}`]))
      expect(e.message).to.contain(`aram x is ${literal}`).and.match(/2\^53/)
      expect(e.hint).to.contain('quote')
      expect(refusal(() => parseParamFlags([`cfg={"n":[${literal}]}`])).message).to.contain(`aram cfg.n[0] is ${literal}`)
    }
    expect(parseParamFlags(['x=9007199254740991', 'y=1e300', 'z="9007199254740993"', 'f=12345678901234567.5'])).to.deep.equal({x: 9007199254740991, y: 1e300, z: '9007199254740993', f: 12345678901234567.5})
    const dir = tempDir()
    writeFileSync(join(dir, 'p.json'), '{"x": 9007199254740993, "ok": 3}')
    expect(refusal(() => readParamsFile(join(dir, 'p.json'))).message).to.contain('aram x is 9007199254740993')
    writeFileSync(join(dir, 'p.yaml'), 'ok: 3\nx: [123456789012345678901234567890]\n')
    expect(refusal(() => readParamsFile(join(dir, 'p.yaml'))).message).to.contain('aram x[0] is 123456789012345678901234567890')
    writeFileSync(join(dir, 'fine.yaml'), 'a: 3\nb: 0x10\nc: 1.5e300\nd: "9007199254740993"\n')
    expect(readParamsFile(join(dir, 'fine.yaml'))).to.deep.equal({a: 3, b: 16, c: 1.5e300, d: '9007199254740993'})
    const {parseYamlFile} = await import('../../../src/lib/workflow/load.ts')
    writeFileSync(join(dir, 'w.yaml'), 'params: {top: 1}\nsteps:\n  s:\n    function: h.ts\n    params: {n: 9007199254740993}\n')
    expect(refusal(() => parseYamlFile(join(dir, 'w.yaml'))).message).to.contain('9007199254740993')
  })

  it('the CLI exits 2 (not 70) for each', async function () {
    this.timeout(60_000)
    const t = await tempProject('params')
    try {
      t.write('h.ts', 'export async function handler() {}\n')
      for (const p of [`x=${deep(5000)}`, 'lr=1e999', 'c={"__proto__":{"a":1}}', 'big=9007199254740993']) {
        const r = lode(['run', 'h.ts', '-p', p, '--json'], {cwd: t.dir})
        expect(r.code, `${p.slice(0, 20)}: ${r.stderr}`).to.equal(2)
        expect(JSON.parse(r.stdout).error.code).to.equal('usage')
      }
    } finally {
      t.cleanup()
    }
  })
})
