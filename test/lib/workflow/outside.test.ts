// Project files that lead out of the project: refused unless the user named the outside file, and parse errors
// never quote more than a short excerpt of what they could not read.
import {expect} from 'chai'
import {mkdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {tempDir, tempProject} from '../../helpers/project.ts'

const {UserError} = await import('../../../src/lib/errors.ts')
const {loadWorkflow} = await import('../../../src/lib/workflow/load.ts')
const {readParamsFile} = await import('../../../src/lib/executor/params.ts')
const {runWorkflow} = await import('../../../src/lib/workflow/run-workflow.ts')

const SECRET = 'root:$6$SECRETHASHSECRETHASH:19000:0:99999:7:::'
const SECRET_FILE = `${SECRET}\n  steps: [\n${'x'.repeat(300)}: [\n`

describe('project files outside the project', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  let outside: string
  beforeEach(async () => {
    t = await tempProject('outside')
    outside = tempDir('lode-outside-')
    writeFileSync(join(outside, 'shadow'), SECRET_FILE)
    writeFileSync(join(outside, 'wf.yaml'), 'steps:\n  a:\n    function: h.ts\n')
    writeFileSync(join(outside, 'h.ts'), 'export async function handler() {}\n')
  })
  afterEach(() => {
    t.cleanup()
    rmSync(outside, {recursive: true, force: true})
  })

  const refusal = (fn: () => unknown): InstanceType<typeof UserError> => {
    try {
      fn()
    } catch (e) {
      expect(e).to.be.instanceOf(UserError)
      return e as InstanceType<typeof UserError>
    }
    return expect.fail('should be refused')
  }

  it('a workflow file that is a symlink out of the project is refused, naming where it leads, quoting nothing', () => {
    symlinkSync(join(outside, 'shadow'), join(t.dir, 'workflow.yaml'))
    const e = refusal(() => loadWorkflow('workflow.yaml', {dir: t.dir, config: t.project.config}, t.dir))
    expect(e.message).to.contain('outside the project').and.contain(join(outside, 'shadow'))
    expect(e.message).to.not.contain('SECRET')
    expect(e.hint).to.contain(join(outside, 'shadow'))
  })

  it('a workflow the user names by its own path outside the project is run', () => {
    const loaded = loadWorkflow(join(outside, 'wf.yaml'), {dir: t.dir, config: t.project.config}, t.dir)
    expect(loaded.type).to.equal('yaml')
  })

  it('lode.yaml may not name a workflow or a function file whose real path is outside the project', async () => {
    symlinkSync(join(outside, 'wf.yaml'), join(t.dir, 'linked.yaml'))
    const config = {...t.project.config, workflows: {w: 'linked.yaml'}, functions: {f: {file: join(outside, 'h.ts')}}}
    expect(refusal(() => loadWorkflow('w', {dir: t.dir, config}, t.dir)).message).to.contain('outside the project')
    const {resolveFunction} = await import('../../../src/lib/executor/resolve-function.ts')
    let error: unknown
    try {
      await resolveFunction(t.dir, config, {ref: 'f'})
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(UserError)
    expect((error as Error).message).to.contain('outside the project')
  })

  it('a workflow step may not run a function file that leads out of the project', async () => {
    t.write('package.json', '{"type": "module"}\n')
    symlinkSync(join(outside, 'h.ts'), join(t.dir, 'h.ts'))
    t.write('workflow.yaml', 'steps:\n  a:\n    function: h.ts\n')
    let error: unknown
    try {
      await runWorkflow(t.project, {ref: 'workflow.yaml', parallel: 1, cwd: t.dir})
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(UserError)
    expect((error as Error).message).to.contain('steps.a.function').and.contain('outside the project')
    expect(t.project.store.runs.list({}).length).to.equal(0)
  })

  it('parse errors quote one short line at most (workflow files and params files)', () => {
    writeFileSync(join(t.dir, 'bad.yaml'), SECRET_FILE)
    const e = refusal(() => loadWorkflow('bad.yaml', {dir: t.dir, config: t.project.config}, t.dir))
    expect(e.message.split('\n').length).to.equal(1)
    expect(e.message).to.not.contain('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')
    const json = join(t.dir, 'p.json')
    writeFileSync(json, `{"a": ${'9'.repeat(500)}x}`)
    const p = refusal(() => readParamsFile(json))
    expect(p.message.split('\n').length).to.equal(1)
    expect(p.message.length).to.be.below(400)
    const yaml = join(t.dir, 'p.yaml')
    writeFileSync(yaml, SECRET_FILE)
    expect(refusal(() => readParamsFile(yaml)).message.split('\n').length).to.equal(1)
    mkdirSync(dirname(json), {recursive: true})
  })
})
