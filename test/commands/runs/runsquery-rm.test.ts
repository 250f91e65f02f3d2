import {expect} from 'chai'
import {existsSync, mkdirSync} from 'node:fs'
import {Project} from '../../../src/lib/project/project.ts'
import {addRun, addVersion} from '../../helpers/runs.ts'
import {lode, tempProject} from '../../helpers/project.ts'

const DAY = 86_400_000

describe('runs rm (issue 13)', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  const u: Record<string, string> = {}
  beforeEach(async () => {
    t = await tempProject()
    const s = t.project.store
    u.plain = addRun(s, {name: 'plain', state: 'error', created: Date.now() - 10 * DAY})
    u.tagged = addRun(s, {name: 'tagged', state: 'error', created: Date.now() - 9 * DAY})
    u.read = addRun(s, {name: 'read', state: 'completed', created: Date.now() - 8 * DAY})
    u.recent = addRun(s, {name: 'recent', state: 'error'})
    u.live = addRun(s, {name: 'live', state: 'running', pid: process.pid, created: Date.now() - 10 * DAY})
    addVersion(s, 'model', u.plain, 'plain-model')
    s.artifacts.setTag(s.artifacts.get(addVersion(s, 'best', u.tagged, 'tagged-model'))!, 'production')
    const dataId = addVersion(s, 'data', u.read, 'data')
    const data = s.artifacts.get(dataId)!
    u.reader = addRun(s, {name: 'reader', inputs: {data: {key: 'data', url: 'data:latest', path: '/x', sha256: data.sha256, size: 4, artifact: {id: dataId, key: 'data', kind: 'artifact', uri: data.uri}}}})
    for (const uid of Object.values(u)) mkdirSync(s.runDir(uid), {recursive: true})
    t.project.close()
  })
  afterEach(() => t.cleanup())

  const rm = (...args: string[]) => lode(['runs', 'rm', ...args], {cwd: t.dir})
  const names = async () => {
    const p = await Project.open(t.dir)
    try {
      return p.store.runs.list({limit: 100}).map((r) => r.name).sort()
    } finally {
      p.close()
    }
  }
  const keys = async () => {
    const p = await Project.open(t.dir)
    try {
      return p.store.artifacts.list({allVersions: true}).map((v) => v.key).sort()
    } finally {
      p.close()
    }
  }
  const ALL = ['live', 'plain', 'read', 'reader', 'recent', 'tagged']

  it('is a dry run by default: lists what would go, deletes nothing', async () => {
    const r = rm(u.plain!.slice(0, 10), u.live!)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.match(/Would delete 1 run:\n.*plain\s+error/)
    expect(r.stdout).to.include('Would remove 1 artifact version they produced: model v1')
    expect(r.stdout).to.match(/Not deleted: run \w+ \(live\) is running/)
    expect(r.stdout).to.include('--yes')
    expect(await names()).to.deep.equal(ALL)
    expect(await keys()).to.deep.equal(['best', 'data', 'model'])
  })

  it('--yes deletes old error runs, keeps tagged and read artifacts with a deleted-run lineage, never a running run', async () => {
    const dry = JSON.parse(rm('--state', 'error', '--older-than', '7d', '--json').stdout).data
    expect(dry.dryRun).to.equal(true)
    const r = rm('--state', 'error', '--older-than', '7d', '--yes', '--json')
    expect(r.code, r.stderr).to.equal(0)
    const out = JSON.parse(r.stdout).data
    expect(out.runs.map((x: {name: string}) => x.name).sort()).to.deep.equal(['plain', 'tagged'])
    expect(out.versionsRemoved.map((v: {key: string}) => v.key)).to.deep.equal(['model'])
    expect(out.versionsKept).to.deep.equal([{key: 'best', version: 1, uri: out.versionsKept[0].uri, why: 'tagged production'}])
    expect(dry.runs).to.deep.equal(out.runs)
    expect(await names()).to.deep.equal(['live', 'read', 'reader', 'recent'])
    expect(await keys()).to.deep.equal(['best', 'data'])
    expect(existsSync(`${t.dir}/.lode/runs/${u.plain}`)).to.equal(false)
    expect(existsSync(`${t.dir}/.lode/runs/${u.read}`)).to.equal(true)
    const lineage = lode(['artifacts', 'lineage', 'best'], {cwd: t.dir})
    expect(lineage.stdout).to.include('made by a deleted run')
    expect(lineage.stdout).to.not.include(`run ${u.tagged!.slice(0, 8)}`)
    // a version another run read is kept; deleting that reader too lets it go
    const kept = JSON.parse(rm('--where', 'name == "read"', '--yes', '--json').stdout).data
    expect(kept.versionsKept[0]).to.deep.include({key: 'data', why: `read by run ${u.reader!.slice(0, 8)} (reader)`})
    expect(await keys()).to.deep.equal(['best', 'data'])
    // a running run is never deleted, even by uid with --yes
    const live = rm(u.live!, '--yes')
    expect(live.stdout).to.match(/Not deleted: .*live.* is running/)
    expect(await names()).to.include('live')
  })

  it('--keep-artifacts keeps every version; deleting reader and producer together removes it', async () => {
    rm(u.plain!, '--keep-artifacts', '--yes')
    expect(await keys()).to.deep.equal(['best', 'data', 'model'])
    const r = JSON.parse(rm('--where', 'name == "read" or name == "reader"', '--yes', '--json').stdout).data
    expect(r.versionsRemoved.map((v: {key: string}) => v.key)).to.deep.equal(['data'])
    expect(await keys()).to.deep.equal(['best', 'model'])
  })

  it('deletes nothing on a bad argument', async () => {
    for (const args of [
      ['--older-than', '7', '--state', 'error'], ['--where', 'state == "error" and', '--yes'], [u.plain!, '--where', 'state == "error"', '--yes'],
      [u.plain!, 'ffff0000', '--yes'], ['--yes'], ['--state', 'running', '--yes'],
    ]) {
      const r = rm(...args)
      expect(r.code, args.join(' ')).to.be.oneOf([2, 4])
      expect(r.stderr).to.match(/Error: .+\n.*(Hint|Try|See)/s)
    }
    expect(await names()).to.deep.equal(ALL)
    expect(await keys()).to.deep.equal(['best', 'data', 'model'])
  })
})
