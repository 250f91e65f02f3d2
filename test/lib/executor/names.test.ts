import {expect} from 'chai'
import {existsSync, readFileSync, rmSync, statSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {tempProject} from '../../helpers/project.ts'
import {UserError} from '../../../src/lib/errors.ts'

const {runWorkflow} = await import('../../../src/lib/workflow/run-workflow.ts')
const {parseWorkflowDoc} = await import('../../../src/lib/workflow/spec.ts')
const {checkRunNames} = await import('../../../src/lib/executor/names.ts')

const HANDLERS = `
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
export async function makeDir(ctx: any) {
  const d = join(ctx.artifactPath, 'd')
  mkdirSync(d, {recursive: true})
  writeFileSync(join(d, 'victim.txt'), 'from the store')
  await ctx.logArtifact('folder', {localPath: d})
}
export async function read(ctx: any) {}
`

describe('names from project files: the same rules as -i/-o/-p', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('names')
    t.write('h.ts', HANDLERS)
    t.write('package.json', '{"type": "module"}\n')
  })
  afterEach(() => {
    rmSync(`${t.dir}-victim`, {recursive: true, force: true})
    t.cleanup()
  })

  it('a workflow input name with ../ is refused before anything runs, and the file outside stays untouched', async () => {
    const outside = join(dirname(t.dir), `${t.dir.split('/').pop()}-victim`)
    t.write('../' + outside.split('/').pop() + '/victim.txt', 'mine')
    const made = await t.project.run('h.ts', {handler: 'makeDir', outputs: ['folder']})
    expect(made.state).to.equal('completed')
    // .lode/runs/<uid>/inputs/KEY: four levels up is the project's parent folder
    const key = `../../../../${outside.split('/').pop()}`
    t.write('workflow.yaml', `steps:\n  s:\n    function: h.ts\n    handler: read\n    inputs:\n      "${key}": folder\n`)
    let error: unknown
    try {
      await runWorkflow(t.project, {ref: 'workflow.yaml', parallel: 1, cwd: t.dir})
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(UserError)
    expect((error as UserError).exitCode).to.equal(2)
    expect((error as Error).message).to.match(/input name/i)
    expect(readFileSync(join(outside, 'victim.txt'), 'utf8')).to.equal('mine')
    expect(statSync(join(outside, 'victim.txt')).nlink).to.equal(1)
  })

  it('the library API refuses an input key with ../ (the run folder is the only place inputs are put)', async () => {
    await t.project.run('h.ts', {handler: 'makeDir', outputs: ['folder']})
    let error: unknown
    try {
      await t.project.run('h.ts', {handler: 'read', inputs: {'../../../../x': 'folder'}})
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(UserError)
    expect(existsSync(join(dirname(t.dir), 'x'))).to.equal(false)
    expect(t.project.store.runs.list({}).length).to.equal(1)
  })

  it('a bad output key is said once, ending in one period, with no advice on param values', () => {
    let error: unknown
    try {
      checkRunNames({outputs: ['../x']})
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(UserError)
    expect((error as Error).message).to.equal(`Malformed output key "../x": use letters, digits, '-', '_', '.', and '/' for grouping (no '..', no empty groups).`)
    expect((error as UserError).hint).to.equal('Example: -i dataset=data.csv -p n_estimators=10 -o model.')
  })

  it('step output keys, param names and input names are checked like the CLI checks them', () => {
    const where = {file: 'w.yaml', dir: '/tmp', name: 'w'}
    const bad = (step: Record<string, unknown>) => {
      try {
        parseWorkflowDoc({steps: {s: {function: 'h.ts', ...step}}}, where)
      } catch (e) {
        return (e as Error).message
      }
      return ''
    }
    expect(bad({inputs: {'a/b': 'x'}})).to.match(/steps\.s\.inputs\.a\/b.*input name/)
    expect(bad({outputs: ['../x']})).to.match(/steps\.s\.outputs.*\.\./)
    expect(bad({params: {'../p': 1}})).to.match(/steps\.s\.params\.\.\.\/p.*param name/)
    expect(bad({inputs: {ok_name: 'x'}, outputs: ['models/m'], params: {'a.b': 1}})).to.equal('')
  })
})
