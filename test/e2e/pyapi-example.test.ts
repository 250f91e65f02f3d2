// examples/cancer/pipeline.py, MLRun's page pipeline with only the import changed, end to end both ways: as a plain
// python3 script (started from another folder) and as `lode run pipeline.py` (the pipeline the parent of its steps).
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {copyFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT, json, lode, tempDir} from '../helpers/project.ts'

const PYTHON = process.env.LODE_TEST_PYTHON ?? '/usr/bin/python3'

type RunRow = {uid: string; name: string; created: number; state: string; parent: string | null; results: Record<string, unknown>; outputs: Record<string, unknown>; inputs: Record<string, {url: string}>}

describe('pyapi: examples/cancer/pipeline.py', function () {
  this.timeout(180_000)
  let dir: string
  beforeEach(() => {
    dir = tempDir('lode-pyapi-cancer-')
    for (const f of ['lode.yaml', 'pipeline.py']) copyFileSync(join(ROOT, 'examples', 'cancer', f), join(dir, f))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  /** The three steps, oldest first, each reading what the one before it made. */
  function checkSteps(runs: RunRow[]): RunRow[] {
    const steps = runs.filter((r) => r.name !== 'pipeline').sort((a, b) => a.created - b.created)
    expect(steps.map((r) => [r.name, r.state])).to.deep.equal([['load_dataset', 'completed'], ['auto_trainer-train', 'completed'], ['auto_trainer-evaluate', 'completed']])
    const [ingest, train, evaluate] = steps as [RunRow, RunRow, RunRow]
    expect(train.inputs.dataset!.url).to.equal(ingest.outputs.dataset)
    expect(evaluate.inputs.model!.url).to.equal(train.outputs.model)
    expect(evaluate.results.accuracy).to.be.a('number').above(0.9)
    return steps
  }

  it('runs as a plain python3 script after PYTHONPATH="$(lode python-path)"', () => {
    const path = lode(['python-path'], {cwd: dir}).stdout.trim()
    const r = spawnSync(PYTHON, [join(dir, 'pipeline.py')], {cwd: tempDir('lode-pyapi-elsewhere-'), encoding: 'utf8', timeout: 170_000, env: {...process.env, PYTHONPATH: path, NODE_ENV: '', CI: '1'}})
    expect(r.status, r.stderr).to.equal(0)
    const runs = json(lode(['runs', 'ls', '--json'], {cwd: dir})).data as RunRow[]
    const [, train] = checkSteps(runs)
    expect(runs.every((run) => run.parent === null)).to.equal(true)
    expect(r.stdout).to.contain(`model     ${train!.outputs.model}`).and.match(/accuracy {2}0\.9\d/)
  })

  it('runs as lode run pipeline.py, recorded as the parent of its three steps', () => {
    const r = lode(['run', 'pipeline.py', '--python', PYTHON, '--json'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    const pipeline = json(r).data
    expect(pipeline.state).to.equal('completed')
    const children = json(lode(['runs', 'ls', '--parent', pipeline.uid, '--json'], {cwd: dir})).data as RunRow[]
    checkSteps(children)
    expect(children.every((c) => c.parent === pipeline.uid)).to.equal(true)
  })
})
