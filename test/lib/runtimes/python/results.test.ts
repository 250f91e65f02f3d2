// Result values end to end: NaN and infinities stay visible and integers beyond 2^53 keep their digits, the same
// for a Python and a TypeScript handler, in the run record and in `lode runs get --json`.
import {expect} from 'chai'
import {json, lode, tempProject} from '../../../helpers/project.ts'
import {TEST_PYTHON, pythonHas, pythonRuns} from './run-handler.ts'

const PY = `
import numpy as np
from decimal import Decimal

def handler(context):
    context.log_result('big', 2**64)
    context.log_result('negative', -2**63 - 1)
    context.log_result('safe', 2**53 - 1)
    context.log_result('nested', {'n': 2**70, 'nan': float('nan')})
    context.log_result('nan', float('nan'))
    context.log_result('inf', float('inf'))
    context.log_result('neg_inf', float('-inf'))
    context.log_result('np_nan', np.float32('nan'))
    context.log_result('dec_nan', Decimal('NaN'))
    return float('inf')  # one result named return, as MLRun logs a returned value
`

const TS = `
import type {Context} from 'lode'
export function handler(ctx: Context) {
  ctx.logResult('nan', NaN)
  ctx.logResult('inf', Infinity)
  ctx.logResult('neg_inf', -Infinity)
  ctx.logResult('nested', {nan: NaN} as never)
}
`

describe('python SDK: result values end to end', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  before(async () => {
    t = await tempProject('results')
    t.write('h.py', PY)
    t.write('h.ts', TS)
  })
  after(() => t.cleanup())

  it('records NaN and infinities as "NaN", "Infinity", "-Infinity" and big integers as their exact digits', async function () {
    if (!pythonHas(TEST_PYTHON, 'numpy')) this.skip()
    const run = await t.project.run('h.py', {python: TEST_PYTHON})
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
    const expected = {
      big: '18446744073709551616', negative: '-9223372036854775809', safe: 9007199254740991,
      nested: {n: '1180591620717411303424', nan: null},
      nan: 'NaN', inf: 'Infinity', neg_inf: '-Infinity', np_nan: 'NaN', dec_nan: 'NaN',
      return: 'Infinity',
    }
    expect(run.results).to.deep.equal(expected)
    const cli = lode(['runs', 'get', run.uid, '--json'], {cwd: t.dir})
    expect(cli.code, cli.stderr).to.equal(0)
    expect(cli.stdout).to.contain('"18446744073709551616"')
    expect(json(cli).data.results).to.deep.equal(expected)
  })

  it('keeps a result, label or log message holding lone surrogates (a file name os.listdir decoded), shown replaced', async function () {
    if (!pythonRuns(TEST_PYTHON)) this.skip()
    t.write('sur.py', "def handler(context):\n    context.logger.info('name \\udcff', f='\\udcfe')\n    context.log_result('s', 'x\\udcffy')\n    context.set_label('l', 'a\\udcffb')\n    context.log_result('after', 1)\n")
    const run = await t.project.run('sur.py', {python: TEST_PYTHON})
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
    expect(run.results.after).to.equal(1)
    expect(run.results.s).to.match(/^x\uFFFD+y$/)
    expect(run.labels.l).to.match(/^a\uFFFD+b$/)
  })

  it('a TypeScript handler records the same non-finite results', async () => {
    const run = await t.project.run('h.ts')
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
    expect(run.results).to.deep.equal({nan: 'NaN', inf: 'Infinity', neg_inf: '-Infinity', nested: {nan: null}})
  })
})
