// Sweeps as a user would try them (issue 13): what a rerun records, and hyper-files with mistakes in them.
import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, newProject, removeProject} from '../helpers/project.ts'

const HANDLER = `
export async function train(ctx, {a, b = 0}) {
  ctx.logResult('score', Number(a) * 10 + Number(b))
}
`

describe('trial 13: sweeps', function () {
  this.timeout(120_000)
  let dir: string
  before(() => {
    dir = newProject({'train.mjs': HANDLER})
  })
  after(() => removeProject(dir))

  it('says so when no iteration logged the selector\'s result (a typo in --selector), not only in --json', () => {
    const r = lode(['run', 'train.mjs#train', '-x', 'a=[1,2]', '--selector', 'max.scor'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.include('warning: no completed iteration logged a numeric result "scor" for --selector max.scor')
  })

  it('points a malformed --stop-condition\'s error at the text typed, not at its rewritten form', () => {
    const r = lode(['run', 'train.mjs#train', '-x', 'a=[1,2]', '--stop-condition', 'score >= 1 and'], {cwd: dir})
    expect(r.code).to.equal(2)
    expect(r.stderr).to.include('found the end of the expression (column 15).\n  score >= 1 and\n                ^')
  })

  it('refuses a selector whose operation is neither max nor min (as MLRun does), before anything runs', () => {
    const r = lode(['run', 'train.mjs#train', '-x', 'a=[1,2]', '--selector', 'avg.score'], {cwd: dir})
    expect(r.code).to.equal(2)
    expect(r.stderr).to.include('Unknown --selector operation "avg" in "avg.score": max or min.')
    expect(r.stderr).to.include('--selector max.avg.score')
  })

  it('a rerun sweep whose first iteration is reused is recorded as starting when it started, not when that run did', () => {
    writeFileSync(join(dir, 'wf.yaml'), 'steps:\n  train:\n    function: train.mjs\n    handler: train\n    hyperparams: {a: [1, 2]}\n    hyper_options: {parallel_runs: 1}\n')
    const step = () => {
      const r = lode(['workflow', 'run', 'wf.yaml', '--json'], {cwd: dir})
      expect(r.code, r.stderr).to.equal(0)
      return json(lode(['runs', 'get', json(r).data.steps[0].run, '--json'], {cwd: dir})).data
    }
    const old = step()
    writeFileSync(join(dir, 'wf.yaml'), readFileSync(join(dir, 'wf.yaml'), 'utf8').replace('[1, 2]', '[1, 2, 3]'))
    const again = step()
    expect(again.iterations[0].cached).to.equal(true)
    expect(again.created).to.be.at.least(old.ended)
    expect(again.started).to.be.at.least(old.ended)
    const parents = json(lode(['runs', 'ls', '--where', 'iter == null', '--sort', '-created', '--json'], {cwd: dir})).data
    expect((parents.runs ?? parents).map((r: {uid: string}) => r.uid).slice(0, 2)).to.deep.equal([again.uid, old.uid])
  })
})

describe('trial 13: sweeps too large to run', function () {
  this.timeout(60_000)
  let dir: string
  before(() => {
    dir = newProject({'train.mjs': HANDLER})
  })
  after(() => removeProject(dir))

  // a small heap: a lode that built every combination before counting them runs out of memory instead of answering
  const run = (...args: string[]) => lode(['run', 'train.mjs#train', ...args], {cwd: dir, env: {NODE_OPTIONS: '--max-old-space-size=128'}})

  it('refuses a grid of more than 100,000 combinations before making them (exit 2)', () => {
    const values = JSON.stringify(Array.from({length: 300}, (_, i) => i))
    const r = run(...['a', 'b', 'c', 'd'].flatMap((k) => ['-x', `${k}=${values}`]))
    expect(r.code, r.stderr).to.equal(2)
    expect(r.stderr).to.include('The grid strategy makes 8100000000 iterations; at most 100000 are run.')
  })

  it('plots a random sweep over a param of 500,000 values (a plot that fails leaves no record of an unsynced object)', () => {
    writeFileSync(join(dir, 'many.json'), JSON.stringify({a: Array.from({length: 500_000}, (_, i) => i)}))
    // (no --json: the parent's record holds the 500,000 values)
    const r = lode(['run', 'train.mjs#train', '--hyper-file', 'many.json', '--strategy', 'random', '--max-iterations', '2', '--seed', '3', '--selector', 'max.score'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.not.include('could not store')
    const parent = json(lode(['runs', 'ls', '--where', 'iter == null', '--json'], {cwd: dir})).data
    const uid = (parent.runs ?? parent)[0].uid as string
    const versions = json(lode(['artifacts', 'ls', '--json'], {cwd: dir})).data
    const mine = (versions.artifacts ?? versions).filter((v: {producer: string}) => v.producer === uid).map((v: {key: string}) => v.key)
    expect(mine.sort()).to.deep.equal(['iteration_plot', 'iteration_results'])
  })

  it('refuses --max-iterations past 100,000 (exit 2, not a bug)', () => {
    const count = () => {
      const runs = json(lode(['runs', 'ls', '--json'], {cwd: dir})).data
      return (runs.runs ?? runs).length as number
    }
    const before = count()
    const r = run('-x', 'a=[1,2]', '--strategy', 'random', '--max-iterations', '999999999999')
    expect(r.code, r.stderr).to.equal(2)
    expect(r.stderr).to.include('--max-iterations 999999999999 is more than the 100000 iterations a sweep runs')
    expect(count()).to.equal(before)
  })
})

describe('trial 13: hyper-files with mistakes', function () {
  this.timeout(60_000)
  let dir: string
  before(() => {
    dir = newProject({'train.mjs': HANDLER})
  })
  after(() => removeProject(dir))

  const refused = (name: string, text: string, message: RegExp, code = 2) => {
    writeFileSync(join(dir, name), text)
    const r = lode(['run', 'train.mjs#train', '--hyper-file', name], {cwd: dir})
    expect(r.code, `${name}: ${r.stderr}`).to.equal(code)
    expect(r.stderr, name).to.match(message)
    expect(r.stderr, name).to.not.include('--params-file')
    return r
  }

  it('refuses a CSV line with fewer or more cells than the header, a repeated column, an unclosed quote', () => {
    refused('short.csv', 'a,b\n1,2\n3\n', /short\.csv line 3 has 1 value; the header names 2 \(a, b\)/)
    refused('long.csv', 'a,b\n1,2,3\n', /long\.csv line 2 has 3 values; the header names 2 \(a, b\)/)
    refused('twice.csv', 'a,a\n1,2\n', /twice\.csv names column "a" twice/)
    refused('open.csv', 'a,b\n"1,2\n', /open\.csv: a quoted value opened on line 2 is not closed/)
    const runs = json(lode(['runs', 'ls', '--json'], {cwd: dir})).data
    expect(runs.runs ?? runs).to.deep.equal([])
  })

  it('reads a CSV saved with a byte order mark, as spreadsheets write it', () => {
    writeFileSync(join(dir, 'bom.csv'), '\ufeffa,b\r\n1,2\r\n3,4\r\n')
    const r = lode(['run', 'train.mjs#train', '--hyper-file', 'bom.csv', '--json'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    expect(json(r).data.iterations.map((it: {params: unknown}) => it.params)).to.deep.equal([{a: 1, b: 2}, {a: 3, b: 4}])
  })

  it('names --hyper-file, not --params-file, for a YAML or JSON file that is missing or broken', () => {
    const r = lode(['run', 'train.mjs#train', '--hyper-file', 'nope.yaml'], {cwd: dir})
    expect(r.code).to.equal(4)
    expect(r.stderr).to.match(/No such hyperparams file: nope\.yaml[\s\S]*--hyper-file/)
    refused('broken.yaml', 'a: [1, 2\n', /Hyperparams file broken\.yaml is not valid YAML/)
    refused('broken.json', '{"a": [1,', /Hyperparams file broken\.json is not valid JSON/)
  })
})
