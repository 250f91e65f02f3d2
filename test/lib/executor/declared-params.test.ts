import {expect} from 'chai'
import {join} from 'node:path'
import {tempDir, tempProject} from '../../helpers/project.ts'

const {LodeError} = await import('../../../src/lib/errors.ts')

describe('declared params and handler names: refused before a run is recorded', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  const saved = process.env.LODE_CACHE_DIR
  beforeEach(async () => {
    process.env.LODE_CACHE_DIR = join(tempDir(), 'cache')
    t = await tempProject('declared')
    t.write('d.csv', 'a,label\n1,0\n2,1\n')
  })
  afterEach(() => {
    if (saved === undefined) delete process.env.LODE_CACHE_DIR
    else process.env.LODE_CACHE_DIR = saved
    t.cleanup()
  })

  const refusal = async (p: Promise<unknown>) => {
    try {
      await p
    } catch (e) {
      expect(e).to.be.instanceOf(LodeError)
      expect(t.project.store.runs.list({}).length, 'no run recorded').to.equal(0)
      return e as InstanceType<typeof LodeError>
    }
    return expect.fail('should have been refused')
  }

  it('an unknown param of a hub function is refused with a did-you-mean (n_estimators -> CLASS_n_estimators)', async () => {
    const params = {model_class: 'RandomForestClassifier', label_columns: 'label', n_estimators: 10}
    const e = await refusal(t.project.run('hub://auto_trainer', {handler: 'train', params, inputs: {dataset: join(t.dir, 'd.csv')}}))
    expect(e.exitCode).to.equal(2)
    expect(e.message).to.match(/unknown param "n_estimators"/i)
    expect(e.hint).to.contain('CLASS_n_estimators')
    const typo = await refusal(t.project.run('hub://auto_trainer', {handler: 'train', params: {model_clas: 'X', label_columns: 'label'}, inputs: {dataset: join(t.dir, 'd.csv')}}))
    expect(typo.hint).to.contain('model_class')
  })

  it('a name given as both an input and a param is refused for a handler (its arguments), not for a command', async () => {
    t.write('h.ts', 'export async function handler() {}\n')
    const e = await refusal(t.project.run(join(t.dir, 'h.ts'), {params: {data: 1, n: 2}, inputs: {data: join(t.dir, 'd.csv')}}))
    expect(e.exitCode).to.equal(2)
    expect(e.message).to.equal('"data" is both an input and a param: the handler gets one argument of each name.')
    // a command reads them apart: {inputs.data} and {params.data}
    const run = await t.project.run(undefined, {kind: 'exec', command: ['sh', '-c', 'test "$0" = 1 && cat "$1"', '{params.data}', '{inputs.data}'], params: {data: 1}, inputs: {data: join(t.dir, 'd.csv')}})
    expect(run.state, run.error?.message).to.equal('completed')
  })

  it('a typo in the handler of a .ts file is refused with the exported names, before a run is recorded', async () => {
    t.write('h.ts', 'export async function train() {}\nexport const evaluate = async () => {}\nasync function hidden() {}\nexport {hidden as predict}\n')
    const e = await refusal(t.project.run('h.ts', {handler: 'trian'}))
    expect(e.exitCode).to.equal(4)
    expect(e.message).to.match(/h\.ts has no exported function "trian"/)
    expect(e.hint).to.contain('train')
    for (const ok of ['train', 'evaluate', 'predict']) expect((await t.project.resolveFunction('h.ts', {handler: ok})).handler).to.equal(ok)
  })

  it('a module that re-exports (export *) is not judged statically: the run itself says what is wrong', async () => {
    t.write('lib.ts', 'export async function train() {}\n')
    t.write('h.ts', "export * from './lib.ts'\n")
    const fn = await t.project.resolveFunction('h.ts', {handler: 'nope'})
    expect(fn.handler).to.equal('nope')
  })

  it('a typo in the handler of a .py file is refused (def NAME)', async () => {
    t.write('h.py', 'def train(context):\n    pass\n\nasync def evaluate(context):\n    pass\n')
    const e = await refusal(t.project.run('h.py', {handler: 'trainn'}))
    expect(e.message).to.match(/h\.py has no function "trainn"/)
    expect(e.hint).to.contain('train')
    expect((await t.project.resolveFunction('h.py', {handler: 'evaluate'})).handler).to.equal('evaluate')
  })
})
