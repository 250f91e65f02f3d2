// `lode runs abort` stops one run only: not the workflow it is a step of, not the user's script that started it.
import {expect} from 'chai'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT, isGone, json, lode, lodeAsync} from '../helpers/project.ts'
import {removeProject, tempProject} from '../lib/workflow/fixtures.ts'
import {spawn} from 'node:child_process'

const HANG_TS = `
export async function hang(ctx: any) {
  const {spawn} = await import('node:child_process')
  const child = spawn('sleep', ['1000'], {stdio: 'ignore'})
  ctx.logResult('child', child.pid)
  await new Promise((r) => setTimeout(r, 1_000_000))
}
`

/** Wait until a run of the project has logged its `child` result (the handler is up). */
async function runningRun(dir: string): Promise<{uid: string; child: number}> {
  for (;;) {
    // results reach the record when the run ends: the event journal has them as they come
    for (const uid of existsSync(join(dir, '.lode', 'runs')) ? readdirSync(join(dir, '.lode', 'runs')) : []) {
      const events = existsSync(join(dir, '.lode', 'runs', uid, 'events.jsonl')) ? readFileSync(join(dir, '.lode', 'runs', uid, 'events.jsonl'), 'utf8') : ''
      const result = events.split('\n').find((l) => l.includes('"t":"result"') && l.includes('"child"'))
      if (result) return {uid, child: JSON.parse(result).value}
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('lode runs abort of one run in a lode that does more', function () {
  this.timeout(120_000)
  let dir: string
  beforeEach(() => {
    dir = tempProject({'hang.ts': HANG_TS})
  })
  afterEach(() => removeProject(dir))

  it('a run started by a user\'s script: the run is recorded aborted, the script carries on', async () => {
    const index = join(ROOT, 'dist', 'index.js')
    writeFileSync(join(dir, 'script.mjs'), `
import {Project} from ${JSON.stringify(index)}
const project = await Project.open('.')
const run = await project.run('hang.ts#hang')
console.log('script carried on; run ' + run.state + ': ' + run.error?.message)
project.close()
`)
    const script = spawn(process.execPath, ['script.mjs'], {cwd: dir})
    let out = ''
    script.stdout.setEncoding('utf8').on('data', (c: string) => (out += c))
    const exited = new Promise<number | null>((resolve) => script.on('close', (code) => resolve(code)))
    const {uid, child} = await runningRun(dir)
    const abort = json(lode(['runs', 'abort', uid, '--json'], {cwd: dir}))
    expect(abort.data).to.deep.equal({uid, action: 'signalled', state: 'aborted'})
    expect(await exited).to.equal(0)
    expect(out).to.contain('script carried on; run aborted: aborted (interrupted by lode runs abort)')
    expect(await isGone(child)).to.equal(true)
  })

  it('a step of a workflow: that step is aborted, the other step finishes', async () => {
    writeFileSync(join(dir, 'wf.yaml'), `name: two
steps:
  hang:
    function: hang.ts#hang
  other:
    function: steps.ts#make
    params: {text: done, delay: 1500}
    outputs: [out]
`)
    const p = lodeAsync(['workflow', 'run', 'wf.yaml', '--json'], {cwd: dir})
    const {uid, child} = await runningRun(dir)
    expect(json(lode(['runs', 'abort', uid, '--json'], {cwd: dir})).data.state).to.equal('aborted')
    const r = await p
    expect(r.code, r.stderr).to.equal(1)
    const steps = Object.fromEntries(json(r).error.details.workflow.steps.map((s: {name: string; state: string}) => [s.name, s.state]))
    expect(steps).to.deep.equal({hang: 'aborted', other: 'done'})
    expect(await isGone(child)).to.equal(true)
  })
})
