// One exit code per fault, the same in every command (README: Exit codes), and --json answers scripts can test.
import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {type CliResult, lode, tempProject} from '../helpers/project.ts'

const answer = (r: CliResult) => JSON.parse(r.stdout) as {ok: boolean; data?: any; error?: {code: string; message: string; hint: string | null; exitCode: number; details?: any}}

describe('exit codes and --json answers, over the commands', function () {
  this.timeout(120_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  before(async () => {
    t = await tempProject('codes')
    t.write('package.json', '{"type": "module"}\n')
    t.write('h.ts', 'export async function ok(ctx: any) { ctx.logResult("x", 1) }\nexport async function boom() { throw new Error("it broke") }\n')
    t.write('wf.yaml', 'steps:\n  a:\n    function: h.ts\n    handler: boom\n')
  })
  after(() => t.cleanup())
  const run = (args: string[]) => lode(args, {cwd: t.dir})

  it('run --json of a failed run answers ok: false with run_failed, the exit code and the run record', () => {
    const r = run(['run', 'h.ts#boom', '--json'])
    expect(r.code).to.equal(1)
    const a = answer(r)
    expect(a.ok).to.equal(false)
    expect(a.error).to.include({code: 'run_failed', exitCode: 1})
    expect(a.error!.message).to.contain('it broke')
    expect(a.error!.hint).to.contain('lode runs logs')
    expect(a.error!.details.run).to.include({state: 'error', name: 'h-boom'})
    const ok = answer(run(['run', 'h.ts#ok', '--json']))
    expect(ok.ok).to.equal(true)
    expect(ok.data.state).to.equal('completed')
  })

  it('workflow run --json of a failed workflow answers ok: false with the summary', () => {
    const r = run(['workflow', 'run', 'wf.yaml', '--json'])
    expect(r.code).to.equal(1)
    const a = answer(r)
    expect(a.ok).to.equal(false)
    expect(a.error).to.include({code: 'run_failed', exitCode: 1})
    expect(a.error!.message).to.contain('step a')
    expect(a.error!.details.workflow.steps[0]).to.include({name: 'a', state: 'failed'})
  })

  it('something named that does not exist is 4 in every command: files, artifacts, workflows, hub functions', () => {
    const cases: [string[], RegExp][] = [
      [['run', 'missing.ts'], /No such function file/],
      [['run', 'h.ts#ok', '-i', 'data=nothing-here'], /no such file "nothing-here".*no artifact/],
      [['run', 'h.ts#ok', '-i', 'data=store://artifacts/codes/nothing'], /nothing/],
      [['run', 'h.ts#ok', '--params-file', 'nope.yaml'], /No such params file/],
      [['artifacts', 'get', 'nothing'], /No artifact with key "nothing"/],
      [['workflow', 'run', 'nope.yaml'], /No workflow file "nope.yaml"/],
      [['run', 'hub://no_such_function'], /No hub function/],
      [['runs', 'get', 'ffffffff'], /ffffffff/],
      [['hub', 'pack', 'no-such-folder', '--out', 'packed'], /no-such-folder/],
    ]
    for (const [args, message] of cases) {
      const r = run([...args, '--json'])
      expect(r.code, `${args.join(' ')}: ${r.stderr}${r.stdout}`).to.equal(4)
      const a = answer(r)
      expect(a.error).to.include({code: 'not_found', exitCode: 4})
      expect(a.error!.message).to.match(message)
    }
  })

  it('lode log inside a run: a file that does not exist is 4 too', () => {
    const r = run(['run', '--kind', 'exec', '--json', '--', 'sh', '-c', 'lode log artifact report missing.html; echo "artifact=$?"; lode log model m missing.pkl; echo "model=$?"'])
    const uid = answer(r).data.uid as string
    const logs = run(['runs', 'logs', uid.slice(0, 8)]).stdout
    expect(logs).to.contain('artifact=4').and.contain('model=4')
  })

  it('malformed input is 2 in every command', () => {
    for (const args of [['run', 'h.ts', '-p', 'epochs'], ['run', 'h.ts', '-i', '../x=y'], ['artifacts', 'get', 'store://nope/x/y'], ['workflow', 'run', 'wf.yaml', '-p', 'undeclared=1']]) {
      const r = run([...args, '--json'])
      expect(r.code, `${args.join(' ')}: ${r.stdout}`).to.equal(2)
      expect(answer(r).error!.code).to.equal('usage')
    }
    writeFileSync(join(t.dir, 'bad.yaml'), 'steps: [')
    expect(run(['workflow', 'run', 'bad.yaml']).code).to.equal(2)
  })
})
