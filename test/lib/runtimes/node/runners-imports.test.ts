// The Node runner loads only what every run needs before it calls the handler: node:crypto (for an event too large
// for the pipe) and node:fs/promises (DataItem.get) are loaded when used, not on every start (~20 ms of CPU together).
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {tempProject} from '../../../helpers/project.ts'

const WATCHED = ['NativeModule crypto', 'NativeModule internal/fs/promises']

describe('runtimes/node (runners): what the runner loads', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  let bare: string[]
  before(() => {
    // what Node itself loads for an ES module that imports nothing says nothing about the runner
    const probe = `console.log(JSON.stringify(process.moduleLoadList.filter((m) => ${JSON.stringify(WATCHED)}.includes(m))))`
    bare = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', probe], {encoding: 'utf8'})) as string[]
  })
  beforeEach(async () => {
    t = await tempProject('runner-imports')
  })
  afterEach(() => t.cleanup())

  it('does not load node:crypto or node:fs/promises for a handler that uses neither', async () => {
    t.write('h.ts', `export async function handler(ctx) {\n  ctx.logResult('loaded', process.moduleLoadList.filter((m) => ${JSON.stringify(WATCHED)}.includes(m)).join(' '))\n}\n`)
    const run = await t.project.run('h.ts', {})
    expect(run.state, run.error?.message).to.equal('completed')
    const loaded = String(run.results.loaded).split(' ').filter((m) => m && !bare.includes(m))
    expect(loaded).to.deep.equal([])
  })

  it('still sends an event too large for the pipe, and reads an input with DataItem.get and getText', async () => {
    t.write('in.txt', 'input bytes\n')
    t.write('h.ts', "export async function handler(ctx, {data}) {\n  ctx.logResult('big', 'x'.repeat(20000))\n" +
      "  ctx.logResult('bytes', (await data.get()).length)\n  ctx.logResult('text', await data.getText())\n}\n")
    const run = await t.project.run('h.ts', {inputs: {data: `${t.dir}/in.txt`}})
    expect(run.state, run.error?.message).to.equal('completed')
    expect(run.results).to.deep.equal({big: 'x'.repeat(20000), bytes: 12, text: 'input bytes\n'})
  })
})
