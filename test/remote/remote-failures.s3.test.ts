// A remote that fails: tampered bytes, wrong credentials, a missing bucket, the server gone mid-push (then resumed).
import {expect} from 'chai'
import {existsSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync} from 'node:fs'
import {randomBytes} from 'node:crypto'
import {join} from 'node:path'
import {Project} from '../../src/lib/project/project.ts'
import {addRemote} from '../../src/lib/remote/config.ts'
import {pull} from '../../src/lib/remote/pull.ts'
import {S3Remote} from '../../src/lib/remote/s3.ts'
import {json, lodeAsync, tempDir, waitUntil} from '../helpers/project.ts'
import {s3Env, startS3, type S3Server} from './s3-server.ts'

/** Files under `dir` whose names end with `suffix`, recursively. */
function filesUnder(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, {recursive: true, encoding: 'utf8'}).filter((f) => f.endsWith(suffix)).map((f) => join(dir, f))
}

/** A project with `count` artifact versions of `bytes` random bytes each, and the remote `url` as its default. */
async function projectWith(dir: string, name: string, url: string, endpoint: string, count: number, bytes: number): Promise<string[]> {
  Project.init(dir, {name})
  const p = await Project.open(dir)
  addRemote(join(dir, 'lode.yaml'), p.config, {name: 'origin', url, endpoint})
  const shas: string[] = []
  for (let i = 0; i < count; i++) {
    const put = await p.store.objects.putBytes(randomBytes(bytes))
    p.store.db.tx(() => p.store.artifacts.insert({key: `blob${i}`, kind: 'artifact', iter: 0, sha256: put.sha256, size: put.size, format: 'bin', producer: null, labels: {}, meta: null, objects: [put.sha256]}))
    shas.push(put.sha256)
  }
  p.close()
  return shas
}

describe('remote failures', function () {
  this.timeout(120_000)
  let s3: S3Server
  let root: string
  let env: Record<string, string>
  beforeEach(async () => {
    s3 = await startS3()
    root = tempDir('lode-remote-fail-')
    env = s3Env(root)
  })
  afterEach(async () => {
    await s3.stop().catch(() => undefined)
    rmSync(root, {recursive: true, force: true})
    rmSync(s3.directory, {recursive: true, force: true})
  })
  const run = (args: string[], cwd: string, over: Record<string, string> = {}) => lodeAsync(args, {cwd, env: {...env, ...over}})

  it('refuses bytes on the remote that do not match their sha256, and stores nothing of them', async () => {
    const a = join(root, 'a')
    const [sha] = await projectWith(a, 'p', 's3://lode/p', s3.endpoint, 1, 1000)
    expect((await run(['push'], a)).code).to.equal(0)
    const [object] = filesUnder(join(s3.directory, 'lode', 'p', 'objects'), '._S3rver_object')
    chmodSync(object!, 0o644)
    const bytes = readFileSync(object!)
    bytes[10] = bytes[10]! ^ 0xff
    writeFileSync(object!, bytes)
    const cloned = await run(['clone', 's3://lode/p', 'b', '--endpoint', s3.endpoint], root)
    expect(cloned.code, cloned.stderr).to.equal(0)
    const b = join(root, 'b')
    const got = await run(['artifacts', 'get', 'blob0', '-o', 'out.bin'], b)
    expect(got.code).to.equal(5)
    expect(got.stderr).to.include(`The object ${sha!.slice(0, 12)} on remote "origin"`).and.include('does not match its sha256')
    expect(existsSync(join(b, 'out.bin'))).to.equal(false)
    expect(existsSync(join(b, '.lode', 'objects', 'sha256', sha!.slice(0, 2), sha!.slice(2)))).to.equal(false)
    expect(readdirSync(join(b, '.lode', 'tmp'))).to.deep.equal([])
    const verify = await run(['artifacts', 'verify', '--fetch', '--json'], b)
    expect(verify.code).to.equal(5)
    expect(json(verify).error.details.problems[0]).to.include({sha256: sha, status: 'missing'})
    expect(json(verify).error.details.problems[0].fetchError).to.include('does not match its sha256')
  })

  it('says so when the credentials are wrong or the bucket is missing, each with its own exit code', async () => {
    const a = join(root, 'a')
    await projectWith(a, 'p', 's3://lode/p', s3.endpoint, 1, 100)
    const wrong = await run(['push', '--json'], a, {AWS_ACCESS_KEY_ID: 'NOT-A-KEY'})
    expect(wrong.code).to.equal(11)
    expect(json(wrong).error).to.include({code: 'remote_auth', exitCode: 11})
    expect(json(wrong).error.message).to.include('refused the credentials')
    expect(JSON.stringify(json(wrong))).not.to.include('S3RVER') // the secret is never printed
    const clone = await run(['clone', 's3://lode/p', 'c', '--endpoint', s3.endpoint], root, {AWS_ACCESS_KEY_ID: 'NOT-A-KEY'})
    expect(clone.code).to.equal(11)
    expect(existsSync(join(root, 'c'))).to.equal(false)
    expect((await run(['remote', 'add', 'nob', 's3://no-such-bucket/p', '--endpoint', s3.endpoint], a)).code).to.equal(0)
    const missing = await run(['push', '--remote', 'nob', '--json'], a)
    expect(missing.code).to.equal(12)
    expect(json(missing).error.message).to.include('the bucket "no-such-bucket" does not exist')
    // nothing was recorded as pushed: the right remote still gets everything
    const ok = await run(['push', '--json'], a)
    expect(ok.code, ok.stderr).to.equal(0)
    expect(json(ok).data).to.include({versions: 1})
  })

  it('the server gone mid-push: a clear error, nothing visible; the next push resumes', async () => {
    const a = join(root, 'a')
    const shas = await projectWith(a, 'p', 's3://lode/p', s3.endpoint, 40, 1 << 20)
    const objectsDir = join(s3.directory, 'lode', 'p', 'objects')
    const pushing = run(['push', '--json'], a, {LODE_REMOTE_ATTEMPTS: '2'})
    expect(await waitUntil(() => filesUnder(objectsDir, '._S3rver_metadata.json').length >= 1, 60_000, 5)).to.equal(true)
    await s3.stop()
    const failed = await pushing
    expect(failed.code, failed.stdout + failed.stderr).to.equal(10)
    expect(json(failed).error.message).to.include('did not answer')
    expect(filesUnder(join(s3.directory, 'lode', 'p', 'packs'), '._S3rver_object')).to.deep.equal([])
    const uploaded = filesUnder(objectsDir, '._S3rver_metadata.json').length

    s3 = await startS3({directory: s3.directory, port: s3.port})
    const resumed = await run(['push', '--json'], a)
    expect(resumed.code, resumed.stderr).to.equal(0)
    const r = json(resumed).data
    expect(r.objects.alreadyThere).to.be.at.least(Math.max(1, uploaded - 4)) // those cut off mid-way are sent again
    expect(r.objects.uploaded + r.objects.alreadyThere).to.equal(40)
    expect(r.versions).to.equal(40)

    const b = join(root, 'b')
    Project.init(b, {name: 'p'})
    const pb = await Project.open(b)
    addRemote(join(b, 'lode.yaml'), pb.config, {name: 'origin', url: 's3://lode/p', endpoint: s3.endpoint})
    pb.close()
    const saved = {...process.env}
    Object.assign(process.env, env)
    try {
      const p = await Project.open(b)
      expect((await pull(p)).versions).to.equal(40)
      for (const sha of shas) expect((await p.store.objects.readVerified(sha)).length).to.equal(1 << 20)
      p.close()
    } finally {
      process.env = saved
    }
  })

  it('refuses a pack whose records are malformed (a run uid that would leave .lode/runs), merging nothing', async () => {
    const a = join(root, 'a')
    await projectWith(a, 'p', 's3://lode/p', s3.endpoint, 1, 10)
    expect((await run(['push'], a)).code).to.equal(0)
    const saved = {...process.env}
    Object.assign(process.env, env)
    try {
      const remote = await S3Remote.open({name: 'origin', url: 's3://lode/p', bucket: 'lode', prefix: 'p/', endpoint: s3.endpoint})
      const bad = {schema: 1, project: 'p', origin: 'x', created: Date.now(), versions: [], tags: [], workflows: [],
        runs: [{row: {uid: '../../escape', name: 'x', project: 'p', kind: 'exec', function: 'x', state: 'completed', host: 'h', created: 1}, inputs: []}]}
      await remote.put('p/packs/99999999999999-x-0000.json', JSON.stringify(bad))
      remote.close()
    } finally {
      process.env = saved
    }
    const cloned = await run(['clone', 's3://lode/p', 'b', '--endpoint', s3.endpoint, '--json'], root)
    expect(cloned.code, cloned.stdout + cloned.stderr).to.equal(5)
    expect(json(cloned).error.message).to.include('is damaged').and.include('uid')
    expect(existsSync(join(root, 'b'))).to.equal(false)
  })
})
