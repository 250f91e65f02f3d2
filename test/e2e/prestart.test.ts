// `lode run FILE.ts` starts the Node runner while lode loads (spawn.ts, prestartRunner): the handler must not
// be able to tell, and a runner that no run takes must not outlive lode.
import {expect} from 'chai'
import {mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Project} from '../../src/lib/project/project.ts'
import {json, lode, processesMarked, tempDir, waitUntil} from '../helpers/project.ts'

const HANDLER = `
import {basename} from 'node:path'
export async function where(ctx) {
  return {
    cwd: process.cwd(),
    script: basename(process.argv[1] ?? ''),
    prestart: process.env.LODE_RUNNER_PRESTART ?? 'unset',
    mark: process.env.LODE_TEST_MARK ?? 'unset',
    pathFirst: (process.env.PATH ?? '').split(':')[0],
    sameUid: process.env.LODE_RUN_UID === ctx.uid,
    outputDir: process.env.LODE_OUTPUT_DIR === ctx.artifactPath,
    processStarted: Math.round(Date.now() - process.uptime() * 1000),
  }
}
`

describe('e2e: the runner started ahead of its run', function () {
  this.timeout(120_000)
  let dir: string
  before(() => {
    dir = tempDir('lode-prestart-')
    expect(lode(['init', '--name', 'pre'], {cwd: dir}).code).to.equal(0)
    writeFileSync(join(dir, 'where.ts'), HANDLER)
    mkdirSync(join(dir, 'sub'))
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('gives the handler the same folder, environment and script as a runner started for the run', async () => {
    const mark = `same-${process.pid}`
    const cli = lode(['run', '../where.ts', '--json'], {cwd: join(dir, 'sub'), env: {LODE_TEST_MARK: mark}})
    expect(cli.code, cli.stderr).to.equal(0)
    const viaCli = json(cli).data

    process.env.LODE_TEST_MARK = mark
    const project = await Project.open(dir)
    try {
      const viaLibrary = await project.run(join(dir, 'where.ts'), {})
      expect(viaLibrary.state).to.equal('completed')
      const {processStarted: a, ...cliSeen} = viaCli.results
      const {processStarted: b, ...librarySeen} = viaLibrary.results
      expect(cliSeen).to.deep.equal(librarySeen)
      expect(cliSeen).to.deep.include({cwd: dir, script: 'runner.js', prestart: 'unset', mark, sameUid: true, outputDir: true})
      expect(cliSeen.pathFirst).to.match(/[/\\]bin$/)
      // the CLI's runner was started before its run was recorded; the library's after
      expect(a, 'the CLI run used a runner started ahead').to.be.below(viaCli.created)
      expect(b).to.be.at.least(viaLibrary.created)
    } finally {
      delete process.env.LODE_TEST_MARK
      project.close()
    }
  })

  it('ends a runner that no run takes: bad input, no project, a file run as another kind', async () => {
    const mark = `unused-${process.pid}`
    const env = {LODE_TEST_MARK: mark}
    const missing = lode(['run', 'missing.ts'], {cwd: dir, env})
    expect(missing.code).to.equal(4)
    expect(missing.stderr).to.include('missing.ts')
    expect(lode(['run', 'where.ts', '-p', 'broken'], {cwd: dir, env}).code).to.equal(2)
    const outside = tempDir('lode-prestart-none-')
    try {
      writeFileSync(join(outside, 'where.ts'), HANDLER)
      expect(lode(['run', 'where.ts'], {cwd: outside, env}).code).to.equal(3)
    } finally {
      rmSync(outside, {recursive: true, force: true})
    }
    writeFileSync(join(dir, 'job.js'), 'console.log("exec ran")\n')
    expect(lode(['run', 'job.js', '--kind', 'exec'], {cwd: dir, env}).code).to.equal(2)
    // an unused runner is told to go as lode exits, and ends a moment later: wait for that, with a deadline
    await waitUntil(() => processesMarked(mark).length === 0, 15_000)
    expect(processesMarked(mark), 'no runner left behind').to.deep.equal([])
  })
})
