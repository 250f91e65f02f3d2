// describe through the real `lode run` (bin/run.js) in a temp project.

import {rmSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {join} from 'node:path'
import {expect} from 'chai'
import {json, lode, tempDir} from '../../../test/helpers/project.ts'

describe('describe through lode run', function () {
  this.timeout(120_000)
  let dir: string
  let env: Record<string, string>
  before(() => {
    dir = tempDir('lode-describe-')
    env = {XDG_CACHE_HOME: join(dir, '.cache')}
    expect(lode(['init', '--name', 'hubtest'], {cwd: dir, env}).code).to.equal(0)
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('logs the summary and the three plots of breast cancer', () => {
    const data = fileURLToPath(new URL('../../load_dataset/data/breast_cancer.csv', import.meta.url))
    const r = lode(['run', 'hub://describe', '-i', `dataset=${data}`, '-o', 'summary', '-o', 'class-balance', '--json'], {cwd: dir, env})
    expect(r.code, r.stderr).to.equal(0)
    const run = json(r).data
    expect(run.results).to.deep.equal({rows: 569, columns: 31})
    expect(run.outputs.summary).to.match(/^store:\/\/datasets\/hubtest\/summary@/)
    expect(run.outputs['class-balance']).to.match(/^store:\/\/artifacts\/hubtest\/class-balance@/)
  })
})
