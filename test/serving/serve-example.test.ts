// examples/cancer/deploy.sh, the example's last step: after the workflow, it serves the trained model, sends it one
// row of the test set, prints the answer, and stops the server.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {cpSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {BIN, lode, ROOT, tempDir} from '../helpers/project.ts'
import {PY_ENV} from './fixtures.ts'

describe('examples/cancer: deploy.sh', function () {
  this.timeout(180_000)
  let dir: string
  before(() => {
    dir = join(tempDir('lode-serve-example-'), 'cancer')
    cpSync(join(ROOT, 'examples', 'cancer'), dir, {recursive: true, filter: (src) => !src.includes('.lode')})
  })
  after(() => rmSync(join(dir, '..'), {recursive: true, force: true}))

  it('serves the model the workflow trained and prints its answer to one request', () => {
    const wf = lode(['workflow', 'run', 'workflow.yaml'], {cwd: dir, env: PY_ENV})
    expect(wf.code, wf.stderr).to.equal(0)
    const r = spawnSync('sh', [join(dir, 'deploy.sh')], {cwd: dir, encoding: 'utf8', timeout: 150_000, env: {...process.env, ...PY_ENV, LODE: `${process.execPath} ${BIN}`, NODE_ENV: ''}})
    expect(r.status, `${r.stdout}\n${r.stderr}`).to.equal(0)
    expect(r.stdout).to.match(/POST http:\/\/127\.0\.0\.1:\d+\/v2\/models\/cancer\/infer \(one row, 30 features\): predict=[01] proba=\[[\d.e-]+,[\d.e-]+\] \(its label: [01]\)/)
    expect(r.stderr).to.match(/SIGTERM: answering the requests in flight/)
  })
})
