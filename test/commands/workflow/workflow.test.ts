import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {lode, lodeAsync} from '../../helpers/project.ts'
import {diamondYaml, removeProject, STEPS_TS, tempProject} from '../../lib/workflow/fixtures.ts'
import {runCommand} from '../hub/run-command.ts'

// Loaded the way the CLI loads them (import()), so errors keep their classes.
const {default: WorkflowRun} = await import('../../../src/commands/workflow/run.ts')
const {default: WorkflowLs} = await import('../../../src/commands/workflow/ls.ts')
const {default: WorkflowGet} = await import('../../../src/commands/workflow/get.ts')

const FAILING_B = `export async function combine() { throw new Error('b is broken') }\n`
const withBrokenB = (yaml: string) => yaml.replace('function: steps.ts#combine\n    inputs: {x: "{{ steps.a.outputs.out }}"}\n    params: {suffix: "-b"}', 'function: b.ts#combine\n    inputs: {x: "{{ steps.a.outputs.out }}"}\n    params: {suffix: "-b"}')

describe('lode workflow', function () {
  this.timeout(60_000)
  let dir: string
  const saved = process.env.LODE_PROJECT
  beforeEach(() => delete process.env.LODE_PROJECT)
  afterEach(() => {
    if (saved === undefined) delete process.env.LODE_PROJECT
    else process.env.LODE_PROJECT = saved
    if (dir) removeProject(dir)
  })

  it('run: a failed step exits 1 with its dependents skipped; --resume after the fix exits 0; ls and get show it', async () => {
    dir = tempProject({'workflow.yaml': withBrokenB(diamondYaml()), 'b.ts': FAILING_B})
    const failed = await runCommand(WorkflowRun, ['workflow.yaml', '--parallel', '2'], dir)
    expect(failed.exitCode).to.equal(1)
    expect(failed.stdout).to.match(/^workflow [0-9a-f]{8} diamond error/)
    expect(failed.stdout).to.match(/\nd\s+skipped\s+-\s+-\s+upstream step b failed/)
    expect(failed.stdout).to.match(/\nc\s+done\s+[0-9a-f]{8}/)
    expect(failed.stderr).to.match(/step b failed.*b is broken/)
    const id = /Resume with: lode workflow run --resume ([0-9a-f]{8})/.exec(failed.stdout)![1]!

    writeFileSync(join(dir, 'b.ts'), STEPS_TS)
    const resumed = await runCommand(WorkflowRun, ['--resume', id, '--json'], dir)
    expect(resumed.exitCode).to.equal(0)
    expect(resumed.json!.ok).to.equal(true)
    expect(resumed.json!.data.id.startsWith(id)).to.equal(true)
    expect(resumed.json!.data.steps.map((s: {name: string; state: string}) => `${s.name}:${s.state}`)).to.deep.equal(['a:cached', 'b:done', 'c:cached', 'd:done'])

    const ls = await runCommand(WorkflowLs, [], dir)
    expect(ls.stdout).to.match(/^ID\s+NAME\s+STATE\s+STEPS/)
    expect(ls.stdout).to.match(new RegExp(`\\n${id}\\s+diamond\\s+completed\\s+4 \\(2 done, 2 cached\\)`))

    const get = await runCommand(WorkflowGet, [id, '--json'], dir)
    expect(get.json!.data.steps.find((s: {name: string}) => s.name === 'd').outputs.out).to.match(/^store:\/\/artifacts\/wf\/out@/)
    const getText = await runCommand(WorkflowGet, [id], dir)
    expect(getText.stdout).to.match(/STEP\s+STATE\s+RUN\s+DURATION\s+OUTPUTS/)
  })

  it('run twice: all cached; --explain after one param changed names it; --no-cache reruns everything', async () => {
    dir = tempProject({'workflow.yaml': diamondYaml()})
    expect((await runCommand(WorkflowRun, ['workflow.yaml'], dir)).exitCode).to.equal(0)
    const again = await runCommand(WorkflowRun, ['workflow.yaml', '--json'], dir)
    expect(again.json!.data.steps.map((s: {state: string}) => s.state)).to.deep.equal(['cached', 'cached', 'cached', 'cached'])

    const explain = await runCommand(WorkflowRun, ['workflow.yaml', '-p', 'c_text=zz', '--explain'], dir)
    expect(explain.exitCode).to.equal(0)
    expect(explain.stdout).to.match(/\na\s+cached\s+same code, params and inputs as run [0-9a-f]{8}/)
    expect(explain.stdout).to.match(/\nc\s+will run\s+params\.suffix changed \(-c -> -zz\)/)
    expect(explain.stdout).to.match(/\nd\s+will run\s+upstream step c will rerun/)
    expect(explain.stdout).to.include('2 of 4 steps would run (nothing was run: --explain)')

    const forced = await runCommand(WorkflowRun, ['workflow.yaml', '--no-cache', '--json'], dir)
    expect(forced.json!.data.steps.map((s: {state: string}) => s.state)).to.deep.equal(['done', 'done', 'done', 'done'])
  })

  it('refuses a dangling reference and an unknown param with exit 2, before running anything', async () => {
    dir = tempProject({'workflow.yaml': diamondYaml().replace('steps.a.outputs.out }}"}\n    params: {suffix: "-b"}', 'steps.ingst.outputs.out }}"}\n    params: {suffix: "-b"}')})
    const bad = await runCommand(WorkflowRun, ['workflow.yaml'], dir)
    expect(bad.exitCode).to.equal(2)
    expect(bad.stderr).to.include('steps.b.inputs.x: unknown step "ingst"')
    const badJson = await runCommand(WorkflowRun, ['workflow.yaml', '--json'], dir)
    expect(badJson.json).to.deep.include({ok: false})
    expect(badJson.json!.error.code).to.equal('usage')
    writeFileSync(join(dir, 'workflow.yaml'), diamondYaml())
    const unknownParam = await runCommand(WorkflowRun, ['workflow.yaml', '-p', 'txt=1'], dir)
    expect(unknownParam.exitCode).to.equal(2)
    expect(unknownParam.stderr).to.include('Unknown workflow param "txt"')
    expect((await runCommand(WorkflowLs, ['--json'], dir)).json!.data).to.deep.equal([])
  })

  it('runs a workflow named in lode.yaml', async () => {
    dir = tempProject({'lode.yaml': `name: wf\nworkflows:\n  tiny:\n    steps:\n      one: {function: steps.ts#make, params: {delay: 0}, outputs: [out]}\n`})
    const r = await runCommand(WorkflowRun, ['tiny', '--json'], dir)
    expect(r.exitCode).to.equal(0)
    expect(r.json!.data.name).to.equal('tiny')
    expect(r.json!.data.steps[0].state).to.equal('done')
  })

  it('end to end: a TypeScript workflow awaiting a promise nothing can settle fails (exit 1) and is recorded so, not left running', async () => {
    dir = tempProject({'stuck.ts': `export default async function (project: any) {\n  await project.run('steps.ts', {handler: 'make', params: {text: 'x', delay: 0}, outputs: ['out']})\n  await new Promise(() => {})\n}\n`})
    const r = await lodeAsync(['workflow', 'run', 'stuck.ts', '--json'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(1)
    expect(r.stderr).to.not.include('unsettled top-level await')
    const error = JSON.parse(r.stdout).error
    expect(error.message).to.include('the workflow module never finished')
    expect(error.details.workflow.state).to.equal('error')
    expect(error.details.workflow.steps.map((s: {name: string; state: string}) => s.state)).to.deep.equal(['done'])
  })

  it('end to end: a TypeScript workflow\'s lode is the command\'s own: an error the project API throws is of the classes it imports', async () => {
    dir = tempProject({'catch.ts': [
      `import {writeFileSync} from 'node:fs'`,
      `import {LodeError, NotFoundError, UserError} from 'lode'`,
      `export default async function (project: any) {`,
      `  let caught: unknown`,
      `  try { await project.run('missing.ts', {outputs: ['out']}) } catch (error) { caught = error }`,
      `  writeFileSync('caught.json', JSON.stringify({same: (caught as object).constructor === NotFoundError, lode: caught instanceof LodeError, notFound: caught instanceof NotFoundError, user: caught instanceof UserError, message: (caught as Error).message}))`,
      `}`,
      '',
    ].join('\n')})
    const r = await lodeAsync(['workflow', 'run', 'catch.ts'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    const caught = JSON.parse(readFileSync(join(dir, 'caught.json'), 'utf8'))
    // the same class, not only one that says so (the error classes answer instanceof across copies of lode)
    expect(caught).to.deep.include({same: true, lode: true, notFound: true, user: false})
    expect(caught.message).to.include('No such function file "missing.ts"')
  })

  it('end to end: Ctrl-C aborts the running steps (exit 130), then --resume finishes', async function () {
    dir = tempProject({'workflow.yaml': diamondYaml().replace('params: {suffix: "-b"}', 'params: {suffix: "-b", delay: "{{ params.b_delay }}"}').replace('params:\n  text: hello', 'params:\n  b_delay: 30000\n  text: hello')})
    const child = lodeAsync(['workflow', 'run', 'workflow.yaml', '--parallel', '2'], {cwd: dir})
    let sent = false
    child.child.stderr!.on('data', (chunk: Buffer) => {
      if (!sent && /b\s+running/.test(chunk.toString())) {
        sent = true
        setTimeout(() => child.child.kill('SIGINT'), 200)
      }
    })
    const aborted = await child
    expect(aborted.code).to.equal(130)
    expect(aborted.stdout).to.match(/diamond aborted/)
    const id = /--resume ([0-9a-f]{8})/.exec(aborted.stdout)![1]!
    const resumed = lode(['workflow', 'run', '--resume', id, '-p', 'b_delay=10', '--json'], {cwd: dir})
    expect(resumed.code).to.equal(0)
    const data = JSON.parse(resumed.stdout).data
    expect(data.state).to.equal('completed')
    expect(data.steps.find((s: {name: string}) => s.name === 'a').state).to.equal('cached')
  })
})
