import {expect} from 'chai'
import {cpSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {TEST_PYTHON} from '../runtimes/python/run-handler.ts'

const {Project} = await import('../../../src/lib/project/project.ts')
const {runWorkflow} = await import('../../../src/lib/workflow/run-workflow.ts')

const EXAMPLE = fileURLToPath(new URL('../../../examples/cancer/', import.meta.url))

describe('examples/cancer', function () {
  this.timeout(120_000)
  let dir: string
  const savedPython = process.env.LODE_PYTHON
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lode-example-cancer-'))
    cpSync(EXAMPLE, dir, {recursive: true, filter: (src) => !src.includes('.lode')})
    process.env.LODE_PYTHON = TEST_PYTHON // hub://auto_trainer trains with scikit-learn
  })
  afterEach(() => {
    if (savedPython === undefined) delete process.env.LODE_PYTHON
    else process.env.LODE_PYTHON = savedPython
    rmSync(dir, {recursive: true, force: true})
  })

  it('trains, then evaluates and predicts; the TypeScript version reuses every step of the YAML one', async () => {
    const project = await Project.open(dir)
    try {
      const yaml = await runWorkflow(project, {ref: 'workflow.yaml', cwd: dir})
      expect(yaml.state, yaml.error ?? '').to.equal('completed')
      expect(yaml.steps.map((s) => `${s.name}:${s.state}`)).to.deep.equal(['ingest:done', 'train:done', 'evaluate:done', 'predict:done'])
      expect(yaml.outputs.accuracy).to.be.a('number').above(0.9)
      expect(yaml.outputs.model).to.match(/^store:\/\/models\/cancer\/model@[0-9a-f]{32}$/)
      const ts = await runWorkflow(project, {ref: 'workflow.ts', cwd: dir})
      expect(ts.state, ts.error ?? '').to.equal('completed')
      expect(ts.steps.map((s) => s.state)).to.deep.equal(['cached', 'cached', 'cached', 'cached'])
      expect(ts.outputs).to.deep.equal(yaml.outputs)
    } finally {
      project.close()
    }
  })
})
