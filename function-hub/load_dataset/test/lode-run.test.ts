// load_dataset through the real `lode run` (bin/run.js) in a temp project.

import {rmSync} from 'node:fs'
import {join} from 'node:path'
import {expect} from 'chai'
import {json, lode, tempDir} from '../../../test/helpers/project.ts'

describe('load_dataset through lode run', function () {
  this.timeout(120_000)
  let dir: string
  let env: Record<string, string>
  before(() => {
    dir = tempDir('lode-load-dataset-')
    env = {XDG_CACHE_HOME: join(dir, '.cache')}
    expect(lode(['init', '--name', 'hubtest'], {cwd: dir, env}).code).to.equal(0)
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('logs the synthetic data set and returns its shape as results', () => {
    const r = lode(['run', 'hub://load_dataset', '-p', 'name=synthetic', '-p', 'rows=200', '-p', 'features=3', '-o', 'dataset', '--json'], {cwd: dir, env})
    expect(r.code, r.stderr).to.equal(0)
    const run = json(r).data
    expect(run.results).to.deep.equal({rows: 200, columns: 4})
    expect(run.outputs.dataset).to.match(/^store:\/\/datasets\/hubtest\/dataset@/)
  })
})
