// A YAML alias that refers to the node holding it (`x: &a [*a]`) makes a value that contains itself: bad input in
// every file lode reads (exit 2), never "a bug in lode".
import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {lode, newProject, removeProject} from '../helpers/project.ts'
import {parseYaml} from '../../src/lib/project/project-file.ts'
import {UserError} from '../../src/lib/errors.ts'

describe('e2e: YAML aliases that refer to themselves (trial11)', function () {
  this.timeout(120_000)
  let dir: string

  beforeEach(() => (dir = newProject({'p.sh': 'echo "$LODE_PARAM_X"\n'})))
  afterEach(() => removeProject(dir))

  it('parseYaml refuses a value that contains itself, through a list or a mapping', () => {
    for (const text of ['x: &a [*a]\n', 'x: &a {y: *a}\n', 'a: &a {b: [1, {c: *a}]}\n']) {
      expect(() => parseYaml(text, 'Params file p.yaml'), text).to.throw(UserError, /refers to itself/)
    }
    // an alias used twice side by side is no cycle
    expect(parseYaml('a: &a [1]\nb: [*a, *a]\n', 'f')).to.deep.equal({a: [1], b: [[1], [1]]})
  })

  it('a params file, hyperparams file, workflow file and lode.yaml with such an alias answer exit 2', () => {
    writeFileSync(join(dir, 'rec.yaml'), 'x: &a [*a]\n')
    const params = lode(['run', 'p.sh', '--params-file', 'rec.yaml', '--json'], {cwd: dir})
    expect(params.code, params.stderr).to.equal(2)
    expect(JSON.parse(params.stdout).error.message).to.contain('rec.yaml').and.contain('refers to itself')
    const hyper = lode(['run', 'p.sh', '--hyper-file', 'rec.yaml', '--json'], {cwd: dir})
    expect(hyper.code, hyper.stderr).to.equal(2)
    writeFileSync(join(dir, 'wf.yaml'), 'steps:\n  a: {function: p.sh, params: &a {x: [*a]}}\n')
    const wf = lode(['workflow', 'run', 'wf.yaml', '--json'], {cwd: dir})
    expect(wf.code, wf.stderr).to.equal(2)
    expect(JSON.parse(wf.stdout).error.message).to.contain('refers to itself')
    writeFileSync(join(dir, 'lode.yaml'), 'name: t\nfunctions:\n  p: &a {command: [sh, p.sh], params: {x: *a}}\n')
    const config = lode(['run', 'p', '--json'], {cwd: dir})
    expect(config.code, config.stderr).to.equal(2)
    expect(JSON.parse(config.stdout).error.message).to.contain('lode.yaml').and.contain('refers to itself')
    expect(lode(['runs', 'ls', '--json'], {cwd: dir}).stdout).to.not.contain('"uid"')
  })
})
