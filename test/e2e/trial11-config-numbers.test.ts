// An integer beyond 2^53 in lode.yaml (a function's params, a workflow's) is refused as -p and --params-file refuse it,
// not rounded on its way to the handler (9007199254740993 arrived as ...992).
import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, newProject, removeProject} from '../helpers/project.ts'

describe('e2e: integers beyond 2^53 in lode.yaml (trial11)', function () {
  this.timeout(120_000)
  let dir: string

  beforeEach(() => (dir = newProject({'p.sh': 'echo "x=$LODE_PARAM_X"\n'})))
  afterEach(() => removeProject(dir))

  it('a function param is refused (exit 2) naming where it is; quoted, it passes as text', () => {
    writeFileSync(join(dir, 'lode.yaml'), 'name: t\nfunctions:\n  p: {command: [sh, p.sh], params: {x: 9007199254740993}}\n')
    const r = lode(['run', 'p', '--json'], {cwd: dir})
    expect(r.code, r.stdout + r.stderr).to.equal(2)
    expect(json(r).error.message).to.contain('functions.p.params.x').and.contain('9007199254740993')
    expect(lode(['runs', 'ls', '--json'], {cwd: dir}).stdout).to.not.contain('"uid"')
    writeFileSync(join(dir, 'lode.yaml'), 'name: t\nfunctions:\n  p: {command: [sh, p.sh], params: {x: "9007199254740993"}}\n')
    const quoted = lode(['run', 'p'], {cwd: dir})
    expect(quoted.code, quoted.stderr).to.equal(0)
    expect(quoted.stderr + quoted.stdout).to.contain('x=9007199254740993')
  })

  it('a workflow param in lode.yaml is refused too; integers within 2^53 stay numbers', () => {
    writeFileSync(join(dir, 'lode.yaml'), 'name: t\nworkflows:\n  w:\n    params: {x: -9007199254740993}\n    steps:\n      a: {function: p.sh, params: {x: "{{ params.x }}"}}\n')
    const r = lode(['workflow', 'run', 'w', '--json'], {cwd: dir})
    expect(r.code, r.stdout + r.stderr).to.equal(2)
    expect(json(r).error.message).to.contain('workflows.w.params.x')
    writeFileSync(join(dir, 'lode.yaml'), 'name: t\nfunctions:\n  p: {command: [sh, p.sh], params: {x: 9007199254740991}}\n')
    const ok = json(lode(['run', 'p', '--json'], {cwd: dir}))
    expect(ok.data.params.x).to.equal(9007199254740991)
  })
})
