// A workflow whose lode dies, or that another process aborts: nothing left running, the record says what happened.
import {expect} from 'chai'
import {isGone, json, lode, lodeAsync} from '../../helpers/project.ts'
import {removeProject, tempProject} from '../../lib/workflow/fixtures.ts'

// `hang` starts a child in its own session (setsid), so only its LODE_RUN_UID mark finds it.
const HANG_TS = `
export async function hang(ctx: any) {
  const {spawn} = await import('node:child_process')
  const child = spawn('sleep', ['1000'], {stdio: 'ignore', detached: true})
  ctx.logResult('child', child.pid)
  await new Promise((r) => setTimeout(r, 1_000_000))
}
`
const WORKFLOW = `name: hanging
steps:
  hang:
    function: hang.ts#hang
    outputs: [child]
  after:
    function: steps.ts#make
    inputs: {x: "{{ steps.hang.outputs.child }}"}
`

/** Start `lode workflow run`, wait for the hanging step's child pid; the workflow id comes with it. */
async function startHanging(dir: string) {
  const p = lodeAsync(['workflow', 'run', 'wf.yaml', '--events', 'ndjson'], {cwd: dir})
  let buffered = ''
  const started = await new Promise<{id: string; child: number}>((resolve, reject) => {
    p.child.stdout!.on('data', (c: Buffer) => {
      buffered += c.toString()
      const lines = buffered.split('\n')
      const result = lines.find((l) => l.includes('"t":"result"'))
      if (result) resolve({id: JSON.parse(lines[0]!).workflow, child: JSON.parse(result).value})
    })
    void p.then((r) => reject(new Error(`the workflow ended before its step started: ${r.stderr}`)))
  })
  return {p, ...started}
}

describe('lode workflow abort, and workflows whose lode died', function () {
  this.timeout(120_000)
  let dir: string
  beforeEach(() => {
    dir = tempProject({'hang.ts': HANG_TS, 'wf.yaml': WORKFLOW})
  })
  afterEach(() => removeProject(dir))

  it('kill -9 of lode: the steps\' processes end, the workflow shows stale, and workflow abort marks it aborted', async () => {
    const {p, id, child} = await startHanging(dir)
    p.child.kill('SIGKILL')
    await p
    expect(await isGone(child, 10_000), 'the setsid child of the step ends soon after its lode is killed').to.equal(true)
    expect(json(lode(['workflow', 'ls', '--json'], {cwd: dir})).data[0]).to.include({id, state: 'stale'})
    expect(json(lode(['workflow', 'get', id, '--json'], {cwd: dir})).data.state).to.equal('stale')
    const abort = json(lode(['workflow', 'abort', id.slice(0, 8), '--json'], {cwd: dir}))
    expect(abort.data).to.deep.equal({id, action: 'marked', state: 'aborted'})
    const get = json(lode(['workflow', 'get', id, '--json'], {cwd: dir})).data
    expect(get.state).to.equal('aborted')
    const steps = Object.fromEntries(get.steps.map((s: {name: string; state: string; run: string | null}) => [s.name, s]))
    expect(steps.hang.state).to.equal('aborted')
    expect(steps.after.state).to.equal('aborted')
    expect(json(lode(['runs', 'get', steps.hang.run, '--json'], {cwd: dir})).data.state).to.equal('aborted')
    expect(json(lode(['workflow', 'abort', id, '--json'], {cwd: dir})).data).to.deep.equal({id, action: 'none', state: 'aborted'})
  })

  it('a live workflow: its own lode stops the steps and records the workflow and the step aborted (exit 130)', async () => {
    const {p, id, child} = await startHanging(dir)
    const abort = json(lode(['workflow', 'abort', id, '--json'], {cwd: dir}))
    expect(abort.data).to.deep.equal({id, action: 'requested', state: 'aborted'})
    const r = await p
    expect(r.code).to.equal(130)
    expect(await isGone(child)).to.equal(true)
    const get = json(lode(['workflow', 'get', id, '--json'], {cwd: dir})).data
    expect(get.state).to.equal('aborted')
    const hang = get.steps.find((s: {name: string}) => s.name === 'hang')
    const run = json(lode(['runs', 'get', hang.run, '--json'], {cwd: dir})).data
    expect(run.state).to.equal('aborted')
    expect(run.error.message).to.contain('lode workflow abort')
  })
})
