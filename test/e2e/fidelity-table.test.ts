// The README's MLRun fidelity table is the one lode's code gives, and MLRun's parts lode does not provide fail with
// one clear error naming what, through `lode run`.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT, tempDir} from '../helpers/project.ts'
import {PYTHON, fidelityProject, type FidelityProject} from './fidelity-project.ts'

const SCRIPT = join(ROOT, 'scripts', 'fidelity-table.py')
const table = (...args: string[]) => spawnSync(PYTHON, [SCRIPT, ...args], {encoding: 'utf8'})

const OUT_OF_SCOPE_PY = `
import lode
import lode.feature_store as fstore
from lode.execution import MLClientCtx


def features(context: MLClientCtx):
    fstore.get_offline_features("store://feature-vectors/p/v")


def serving(context: MLClientCtx):
    from lode.serving import V2ModelServer


def deploy(context: MLClientCtx):
    lode.code_to_function("fn", filename="x.py", kind="nuclio")


def mounts(context: MLClientCtx):
    from lode.platforms import auto_mount
`

describe('fidelity: the README\'s table and what lode does not provide', function () {
  this.timeout(180_000)

  it('README.md\'s MLRun fidelity table is the one scripts/fidelity-table.py generates from the code', () => {
    const r = table('--check')
    expect(r.status, r.stderr).to.equal(0)
    const generated = table().stdout
    expect(generated).to.match(/\| `mlrun.execution.MLClientCtx` \| yes \|/)
    expect(generated).to.match(/\| `mlrun.feature_store` \| not provided: a clear error \|/)
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).to.include(generated)
  })

  it('--check fails, saying how to fix it, when a README\'s table differs from the code\'s', () => {
    const dir = tempDir('lode-fidelity-readme-')
    const readme = join(dir, 'README.md')
    const current = readFileSync(join(ROOT, 'README.md'), 'utf8')
    writeFileSync(readme, current.replace('| `mlrun.execution.MLClientCtx` | yes |', '| `mlrun.execution.MLClientCtx` | no |'))
    const r = table('--check', '--readme', readme)
    expect(r.status).to.equal(1)
    expect(r.stderr).to.include('run python3 scripts/fidelity-table.py --write')
    expect(table('--write', '--readme', readme).status).to.equal(0)
    expect(readFileSync(readme, 'utf8')).to.equal(current)
  })

  describe('out of scope, through lode run', () => {
    let p: FidelityProject
    before(() => {
      p = fidelityProject()
      p.write('scope.py', OUT_OF_SCOPE_PY)
    })
    after(() => p.remove())

    for (const [handler, message] of [
      ['features', /NotProvidedError: lode.feature_store.get_offline_features: lode does not provide MLRun's feature store/],
      ['serving', /lode.serving.V2ModelServer: lode does not provide MLRun's serving graphs/],
      ['deploy', /lode.code_to_function: lode does not provide MLRun function objects built for a cluster/],
      ['mounts', /lode.platforms.auto_mount: lode does not provide Kubernetes resources/],
    ] as const) {
      it(`${handler}: the run fails with one error naming what lode does not provide`, () => {
        const {out} = p.run(`scope.py#${handler}`)
        expect(out.ok).to.equal(false)
        expect(out.error.code).to.equal('run_failed')
        expect(out.error.message).to.match(message)
      })
    }
  })
})
