// Two clones sharing one remote (s3rver on 127.0.0.1): push, clone, bytes fetched on demand, pull back; eight clones
// pushing the same key and tag at once lose nothing and settle on the same tag.
import {expect} from 'chai'
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Project} from '../../src/lib/project/project.ts'
import {addRemote} from '../../src/lib/remote/config.ts'
import {pull} from '../../src/lib/remote/pull.ts'
import {push} from '../../src/lib/remote/push.ts'
import {BIN, json, lodeAsync, tempDir} from '../helpers/project.ts'
import {s3Env, startS3, type S3Server} from './s3-server.ts'

describe('remote: push, clone, pull', function () {
  this.timeout(120_000)
  let s3: S3Server
  let root: string
  let env: Record<string, string>
  before(async () => {
    s3 = await startS3()
    root = tempDir('lode-remote-sync-')
    env = s3Env(root)
  })
  after(async () => {
    await s3.stop()
    rmSync(root, {recursive: true, force: true})
    rmSync(s3.directory, {recursive: true, force: true})
  })
  const run = (args: string[], cwd: string) => lodeAsync(args, {cwd, env})
  // an exec handler that logs its input as the artifact `key`
  const copyTo = (key: string) => ['--kind', 'exec', '-o', key, '--json', '--', 'bash', '-c', `"${process.execPath}" "${BIN}" log artifact ${key} "$LODE_INPUT_DATA"`]

  it('runs made in each clone appear in the other after pull; inputs only on the remote are fetched and checked', async () => {
    const a = join(root, 'a')
    expect((await run(['init', 'a', '--name', 'shared'], root)).code).to.equal(0)
    writeFileSync(join(a, 'data.csv'), 'x,y\n1,2\n3,4\n')
    const made = await run(['run', '-i', 'data=data.csv', ...copyTo('table')], a)
    expect(made.code, made.stderr).to.equal(0)
    const runA = json(made).data.uid as string
    expect((await run(['remote', 'add', 'origin', 's3://lode/team/shared', '--endpoint', s3.endpoint], a)).code).to.equal(0)
    const pushed = await run(['push', '--json'], a)
    expect(pushed.code, pushed.stderr).to.equal(0)
    expect(json(pushed).data).to.deep.include({runs: 1, versions: 1, objects: {uploaded: 1, alreadyThere: 0, bytes: 12}})
    const again = await run(['push', '--json'], a)
    expect(json(again).data.pack).to.equal(null)

    const cloned = await run(['clone', 's3://lode/team/shared', 'b', '--endpoint', s3.endpoint, '--json'], root)
    expect(cloned.code, cloned.stderr).to.equal(0)
    expect(json(cloned).data).to.include({project: 'shared', runs: 1, versions: 1})
    const b = join(root, 'b')
    const listed = json(await run(['runs', 'ls', '--json'], b)).data
    expect(listed.map((r: {uid: string}) => r.uid)).to.deep.equal([runA])
    const version = json(await run(['artifacts', 'get', 'table', '--json'], b)).data.artifact
    expect(existsSync(join(b, '.lode', 'objects', 'sha256', version.sha256.slice(0, 2), version.sha256.slice(2)))).to.equal(false)

    // a run in the clone reads an input whose bytes are only on the remote
    const madeB = await run(['run', '-i', 'data=table', ...copyTo('copy')], b)
    expect(madeB.code, madeB.stderr).to.equal(0)
    const runB = json(madeB).data
    expect(runB.inputs.data.sha256).to.equal(version.sha256)
    expect(existsSync(join(b, '.lode', 'objects', 'sha256', version.sha256.slice(0, 2), version.sha256.slice(2)))).to.equal(true)
    expect((await run(['artifacts', 'tag', 'table', 'prod'], b)).code).to.equal(0)
    const pushedB = await run(['push', '--json'], b)
    expect(pushedB.code, pushedB.stderr).to.equal(0)
    expect(json(pushedB).data).to.include({runs: 1, versions: 1, tags: 1})

    const pulled = await run(['pull', '--json'], a)
    expect(pulled.code, pulled.stderr).to.equal(0)
    expect(json(pulled).data).to.include({runs: 1, versions: 1, tags: 1})
    const both = json(await run(['runs', 'ls', '--json'], a)).data.map((r: {uid: string}) => r.uid)
    expect(both).to.have.members([runA, runB.uid])
    const got = await run(['artifacts', 'get', 'copy', '-o', '-'], a)
    expect(got.stdout).to.equal('x,y\n1,2\n3,4\n')
    expect(json(await run(['artifacts', 'get', 'table:prod', '--json'], a)).data.artifact.sha256).to.equal(version.sha256)
    const lineage = json(await run(['runs', 'get', runB.uid.slice(0, 8), '--json'], a)).data
    expect(lineage.inputs.data.sha256).to.equal(version.sha256)
    expect(json(await run(['pull', '--json'], a)).data.packs).to.equal(0)
    // credentials are never written where lode writes
    for (const file of [join(a, 'lode.yaml'), join(b, 'lode.yaml')]) expect(readFileSync(file, 'utf8')).not.to.include('S3RVER')
  })

  it('eight clones pushing the same key and tag at once lose nothing, and all settle on the same tag', async () => {
    const dirs: string[] = []
    const shas: string[] = []
    for (let i = 0; i < 8; i++) {
      const dir = join(root, `c${i}`)
      Project.init(dir, {name: 'eight'})
      const p = await Project.open(dir)
      addRemote(join(dir, 'lode.yaml'), p.config, {name: 'origin', url: 's3://lode/eight', endpoint: s3.endpoint})
      const put = await p.store.objects.putBytes(`weights of clone ${i}\n`)
      const id = p.store.db.tx(() => p.store.artifacts.insert({key: 'model', kind: 'artifact', iter: 0, sha256: put.sha256, size: put.size, format: 'bin', producer: null, labels: {}, meta: null, objects: [put.sha256]}, Date.now() + i))
      p.store.artifacts.setTag(p.store.artifacts.get(id)!, 'prod')
      p.close()
      dirs.push(dir)
      shas.push(put.sha256)
    }
    const pushes = await Promise.all(dirs.map((d) => run(['push', '--json'], d)))
    for (const r of pushes) expect(r.code, r.stderr + r.stdout).to.equal(0)
    // pulled in this process, all at once too (the server is here; each clone has its own store)
    const saved = {...process.env}
    Object.assign(process.env, env)
    const prods = new Set<string>()
    const latests = new Set<string>()
    try {
      const projects = await Promise.all(dirs.map((d) => Project.open(d)))
      await Promise.all(projects.map((p) => pull(p)))
      for (const p of projects) {
        const versions = p.store.artifacts.versionsOf('model')
        expect(versions.map((v) => v.sha256)).to.have.members(shas)
        prods.add(versions.find((v) => v.tags.includes('prod'))!.sha256)
        latests.add(versions.find((v) => v.tags.includes('latest'))!.sha256)
        // every version's bytes can be had from the remote, checked against their sha256
        for (const v of versions) expect((await p.store.objects.readVerified(v.sha256)).toString()).to.match(/^weights of clone \d\n$/)
        p.close()
      }
    } finally {
      process.env = saved
    }
    expect(prods.size).to.equal(1)
    expect(latests.size).to.equal(1)
    expect([...latests][0]).to.equal(shas[7]) // the newest by creation time
  })

  it('a tag moved here since the last sync is not undone by a pull; the next push makes it win everywhere', async () => {
    const saved = {...process.env}
    Object.assign(process.env, env)
    try {
      const open = async (name: string) => {
        const dir = join(root, name)
        Project.init(dir, {name: 'tags'})
        const p = await Project.open(dir)
        addRemote(join(dir, 'lode.yaml'), p.config, {name: 'origin', url: 's3://lode/tags', endpoint: s3.endpoint})
        p.close()
        return Project.open(dir)
      }
      const a = await open('ta')
      const versions = []
      for (let i = 0; i < 3; i++) {
        const put = await a.store.objects.putBytes(`v${i}`)
        versions.push(a.store.artifacts.get(a.store.db.tx(() => a.store.artifacts.insert({key: 'm', kind: 'artifact', iter: 0, sha256: put.sha256, size: put.size, format: '', producer: null, labels: {}, meta: null, objects: [put.sha256]}, 1_000 + i)))!)
      }
      a.store.artifacts.setTag(versions[0]!, 'prod')
      await push(a)
      const b = await open('tb')
      await pull(b)
      const prodOf = (p: Project) => p.store.artifacts.resolve({key: 'm', tag: 'prod'}).sha256
      expect(prodOf(b)).to.equal(versions[0]!.sha256)
      // b moves prod and has not pushed yet; meanwhile a moves it elsewhere and pushes
      b.store.artifacts.setTag(b.store.artifacts.resolve({key: 'm', tag: 'v3'}), 'prod')
      a.store.artifacts.setTag(versions[1]!, 'prod')
      await push(a)
      await pull(b)
      expect(prodOf(b)).to.equal(b.store.artifacts.resolve({key: 'm', tag: 'v3'}).sha256) // b's own move stands
      await push(b)
      await pull(a)
      expect(prodOf(a)).to.equal(prodOf(b)) // and then wins in a too
      // a removal travels as a move too
      expect(b.store.artifacts.removeTag('m', 'prod')).to.equal(true)
      await push(b)
      await pull(a)
      expect(() => prodOf(a)).to.throw('no version tagged "prod"')
      a.close()
      b.close()
    } finally {
      process.env = saved
    }
  })
})
