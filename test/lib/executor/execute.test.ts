import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {isGone, tempProject} from '../../helpers/project.ts'
import {NotFoundError} from '../../../src/lib/errors.ts'
import type {RunEvent} from '../../../src/lib/types.ts'

const HANDLERS = `
import type {Context, DataItem} from 'lode'
export async function train(ctx: Context, {data, epochs = 1}: {data?: DataItem; epochs?: number}) {
  ctx.logger.info('starting', {epochs})
  console.log('to stdout')
  console.error('to stderr')
  ctx.progress(0.5, 'half way')
  if (data) ctx.logResult('bytes', (await data.get()).length)
  ctx.logResult('accuracy', 0.9)
  await ctx.logArtifact('notes', {body: 'some text'}, {format: 'txt'})
  ctx.setLabel('stage', 'dev')
  return {accuracy: 0.9, epochs, ignored: {nested: true}}
}
export async function boom(ctx: Context) {
  ctx.logResult('before', 1)
  await ctx.logArtifact('partial', {body: 'p'})
  throw new Error('kaboom')
}
export async function three() { process.exit(3) }
export async function killed() { process.kill(process.pid, 'SIGKILL') }
export async function nothing() {}
export async function bytes() {
  process.stdout.write(Buffer.from([0x68, 0xc3, 0xa9, 0xff, 0xfe, 0x0a, 0xc3]))
  process.stdout.write(Buffer.from([0xa9, 0x0a, 0x1b, 0x5b, 0x32, 0x4a, 0x0d, 0x0a]))
}
`

describe('executor: a run from start to finish', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('exec')
    t.write('h.ts', HANDLERS)
    t.write('d.csv', 'a,b\n1,2\n')
  })
  afterEach(() => t.cleanup())

  it('records params, inputs with hashes, results, labels, logs and artifacts', async () => {
    const events: RunEvent[] = []
    const run = await t.project.run('h.ts', {handler: 'train', params: {epochs: 3}, inputs: {data: join(t.dir, 'd.csv')}, outputs: ['notes', 'accuracy'], onEvent: (e) => events.push(e)})
    expect(run.state).to.equal('completed')
    expect(run.results).to.deep.equal({bytes: 8, accuracy: 0.9, epochs: 3})
    expect(run.labels).to.deep.equal({stage: 'dev'})
    expect(run.inputs.data!.sha256).to.match(/^[0-9a-f]{64}$/)
    expect(run.outputs.notes).to.equal(`store://artifacts/exec/notes@${run.uid}`)
    expect(run.outputs.accuracy).to.equal(0.9)
    const dir = t.project.store.runDir(run.uid)
    const log = readFileSync(join(dir, 'output.log'), 'utf8')
    expect(log).to.contain('to stdout').and.contain('to stderr')
    const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(lines.map((l) => l.t)).to.include.members(['state', 'log', 'progress', 'result', 'artifact', 'label', 'ingested'])
    // accuracy was logged, then returned with the same value: one result event
    expect(lines.filter((l) => l.t === 'result').map((l) => l.key)).to.deep.equal(['bytes', 'accuracy', 'epochs'])
    expect(events.at(-1)).to.include({t: 'state', state: 'completed'})
    expect(existsSync(join(dir, 'staging'))).to.equal(false)
  })

  it('keeps the handler\'s output in output.log byte for byte, also bytes that are not UTF-8', async () => {
    const chunks: Buffer[] = []
    // a copy: the chunk's bytes are reused for the next read
    const run = await t.project.run('h.ts', {handler: 'bytes', onOutput: (_stream, chunk) => chunks.push(Buffer.from(chunk))})
    expect(run.state).to.equal('completed')
    const expected = Buffer.from([0x68, 0xc3, 0xa9, 0xff, 0xfe, 0x0a, 0xc3, 0xa9, 0x0a, 0x1b, 0x5b, 0x32, 0x4a, 0x0d, 0x0a])
    expect(readFileSync(join(t.project.store.runDir(run.uid), 'output.log')).equals(expected)).to.equal(true)
    expect(Buffer.concat(chunks).equals(expected)).to.equal(true)
  })

  it('feeds one run\'s output into the next by store URI and by KEY:TAG', async () => {
    const first = await t.project.run('h.ts#train')
    const second = await t.project.run('h.ts#train', {inputs: {data: String(first.outputs.notes)}})
    expect(second.results.bytes).to.equal(9)
    expect(second.inputs.data!.artifact?.uri).to.equal(first.outputs.notes)
    const third = await t.project.run('h.ts#train', {inputs: {data: 'notes:latest'}})
    expect(third.results.bytes).to.equal(9)
  })

  it('records a throwing handler as error, keeping what it logged before', async () => {
    const run = await t.project.run('h.ts#boom')
    expect(run.state).to.equal('error')
    expect(run.error?.message).to.equal('Error: kaboom')
    expect(run.error?.stack).to.contain('kaboom')
    expect(run.results).to.deep.equal({before: 1})
    expect(run.outputs.partial).to.match(/^store:\/\/artifacts\/exec\/partial@/)
  })

  it('records the exit code and the signal of a handler that exits or is killed', async () => {
    const three = await t.project.run('h.ts#three')
    expect(three.state).to.equal('error')
    expect(three.exitCode).to.equal(3)
    expect(three.error?.message).to.contain('exited with code 3')
    const killed = await t.project.run('h.ts#killed')
    expect(killed.state).to.equal('error')
    expect(killed.signal).to.equal('SIGKILL')
  })

  it('fails a run whose declared output was not logged, saying which', async () => {
    const run = await t.project.run('h.ts#nothing', {outputs: ['model']})
    expect(run.state).to.equal('error')
    expect(run.error?.message).to.equal('declared output not logged: model (logged: nothing)')
  })

  it('names the exported functions when the handler does not exist (a module a static look cannot judge)', async () => {
    t.write('reexport.ts', "export * from './h.ts'\n")
    const run = await t.project.run('reexport.ts#nope')
    expect(run.state).to.equal('error')
    expect(run.error?.message).to.match(/Handler "nope" is not an exported function.*Exported functions: .*boom.*train/)
  })

  it('refuses a missing input before anything runs', async () => {
    let err: unknown
    try {
      await t.project.run('h.ts#train', {inputs: {data: 'missing.csv'}})
    } catch (e) {
      err = e
    }
    expect(err).to.be.instanceOf(NotFoundError)
    expect((err as Error).message).to.contain('no such file "missing.csv"')
    expect(t.project.store.runs.list()).to.have.length(0)
  })

  it('ends the handler and its children on abort and records aborted', async () => {
    t.write('hang.ts', `
      import {spawn} from 'node:child_process'
      export async function handler(ctx) {
        const child = spawn('sleep', ['60'], {stdio: 'ignore'})
        ctx.logResult('child', child.pid)
        await new Promise((r) => setTimeout(r, 60_000))
      }`)
    const controller = new AbortController()
    const started = t.project.run('hang.ts', {signal: controller.signal, onEvent: (e) => { if (e.t === 'result') setTimeout(() => controller.abort(), 100) }})
    const run = await started
    expect(run.state).to.equal('aborted')
    const child = Number(run.results.child)
    expect(await isGone(child), 'grandchild still running').to.equal(true)
  })
})
