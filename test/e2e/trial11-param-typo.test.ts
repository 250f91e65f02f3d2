// A Python handler that takes a context may read any param (context.get_param), so an unknown param is passed on; one a
// typo away from a parameter it declares is said on the run, with a did-you-mean, not silently left at its default.
import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, newProject, removeProject} from '../helpers/project.ts'

const PYTHON = process.env.LODE_TEST_PYTHON ?? '/usr/bin/python3'

describe('e2e: a typo in a param of a Python handler with a context (trial11)', function () {
  this.timeout(120_000)
  let dir: string

  beforeEach(() => (dir = newProject({
    'train.py': 'def train(context, n_estimators=5, lr=0.1):\n    context.log_result("n", n_estimators)\n    context.log_result("extra", context.get_param("depth", 0))\n',
  })))
  afterEach(() => removeProject(dir))

  it('warns with a did-you-mean on the run and goes on; a param far from any stays silent', () => {
    const r = lode(['run', 'train.py', '--python', PYTHON, '-p', 'n_estimator=3', '-p', 'depth=4', '--json'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    const run = json(r).data
    expect(run.results).to.deep.equal({n: 5, extra: 4})
    expect(run.warnings).to.have.length(1)
    expect(run.warnings[0]).to.contain('n_estimator').and.contain('did you mean n_estimators?').and.not.contain('depth')
    const get = lode(['runs', 'get', run.uid], {cwd: dir})
    expect(get.stdout).to.contain('did you mean n_estimators?')
  })

  it("says nothing of a param a hub function declares by its prefix (auto_trainer's CLASS_random_state)", () => {
    const rows = ['a,b,label', ...Array.from({length: 20}, (_, i) => `${i},${(i * 7) % 5},${i % 2}`)].join('\n')
    writeFileSync(join(dir, 'rows.csv'), `${rows}\n`)
    const r = lode(['run', 'hub://auto_trainer', '--handler', 'train', '--python', PYTHON, '-i', 'dataset=rows.csv', '-p', 'model_class=sklearn.linear_model.LogisticRegression',
      '-p', 'label_columns=label', '-p', 'random_state=1', '-p', 'CLASS_random_state=1', '--json'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    expect(json(r).data.warnings ?? []).to.deep.equal([])
  })

  it('says nothing when every param is declared', () => {
    const run = json(lode(['run', 'train.py', '--python', PYTHON, '-p', 'n_estimators=3', '--json'], {cwd: dir})).data
    expect(run.results.n).to.equal(3)
    expect(run.warnings ?? []).to.deep.equal([])
  })
})
