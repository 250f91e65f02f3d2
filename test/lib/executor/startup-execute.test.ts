// The end of a run removes its temporary folders (staging, event files, fetched inputs), empty or not.
import {expect} from 'chai'
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {tempProject} from '../../helpers/project.ts'

describe('executor: a run\'s temporary folders', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('tmpdirs')
  })
  afterEach(() => t.cleanup())

  const exec = (script: string) => t.project.run(undefined, {kind: 'exec', command: ['sh', '-c', script]})
  const left = (uid: string) => readdirSync(t.project.store.runDir(uid)).filter((name) => ['staging', 'event-files', 'inputs'].includes(name))

  it('removes them when the handler left them empty', async () => {
    const run = await exec('true')
    expect(run.state).to.equal('completed')
    expect(left(run.uid)).to.deep.equal([])
    expect(existsSync(join(t.project.store.runDir(run.uid), 'output.log'))).to.equal(true)
  })

  it('removes them with what the handler left in them, files and folders', async () => {
    const run = await exec('mkdir -p "$LODE_OUTPUT_DIR/a/b" && echo x > "$LODE_OUTPUT_DIR/a/b/c" && echo y > "$LODE_OUTPUT_DIR/d" && echo z > "$LODE_EVENT_DIR/stray"')
    expect(run.state).to.equal('completed')
    expect(left(run.uid)).to.deep.equal([])
  })
})
