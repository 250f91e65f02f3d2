// Hostile or damaged packages that an index vouches for (their sha256 matches): each is a package error, exit 5.
import {expect} from 'chai'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {lode} from '../../helpers/project.ts'
import {rawTar} from './raw-tar.ts'

const {LodeError} = await import('../../../src/lib/errors.ts')
const {ensureCached} = await import('../../../src/lib/hub/cache.ts')
const {extractPackage, makeWritable} = await import('../../../src/lib/hub/extract.ts')
const {parseIndex} = await import('../../../src/lib/hub/pack.ts')

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** ~40 KB of gzip that unpacks to 40 MiB: ten entries of zeros, each under the per-entry limit. */
function bomb(): Buffer {
  return gzipSync(rawTar(Array.from({length: 10}, (_, i) => ({path: `zeros-${i}.bin`, body: Buffer.alloc(4 * 1024 * 1024)}))), {level: 9})
}

function truncatedGzip(): Buffer {
  const whole = gzipSync(rawTar([{path: 'function.yaml', body: 'name: x\n'.repeat(200)}]))
  return whole.subarray(0, Math.floor(whole.length / 2))
}

describe('hub packages: bombs and damage (exit 5, memory bounded)', function () {
  this.timeout(60_000)
  let root: string
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lode-bomb-'))
  })
  afterEach(() => {
    makeWritable(root)
    rmSync(root, {recursive: true, force: true})
  })

  const version = (bytes: Buffer) => ({
    name: 'bomb', version: '1.0.0', kind: 'node' as const, description: '', categories: [], handlers: ['h'], sha256: sha(bytes), size: bytes.length,
    hub: join(root, 'hub'), load: async () => bytes,
  })

  const expectPackageError = async (promise: Promise<unknown>, pattern: RegExp) => {
    let error: unknown
    try {
      await promise
    } catch (e) {
      error = e
    }
    expect(error, 'refused').to.be.instanceOf(LodeError)
    expect((error as InstanceType<typeof LodeError>).exitCode).to.equal(5)
    expect((error as Error).message).to.match(pattern)
  }

  it('decompression bomb: a package whose compression ratio is absurd is refused while it is read', async () => {
    const bytes = bomb()
    await expectPackageError(extractPackage(bytes, join(root, 'x'), {sha256: sha(bytes)}), /unpacks to more than .* times its packed size/)
    expect(existsSync(join(root, 'x'))).to.equal(false)
    await expectPackageError(ensureCached(version(bytes), join(root, 'cache')), /unpacks to more than/)
    const cached = join(root, 'cache', 'hub', 'bomb')
    expect(existsSync(cached) ? readdirSync(cached) : [], 'nothing cached').to.deep.equal([])
  })

  it('garbage gzip with a matching sha256 is a package error, not a bug', async () => {
    const bytes = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.alloc(64, 0x5a)])
    await expectPackageError(ensureCached(version(bytes), join(root, 'cache')), /not a readable package/)
  })

  it('truncated gzip with a matching sha256 is a package error, not a bug', async () => {
    const bytes = truncatedGzip()
    await expectPackageError(ensureCached(version(bytes), join(root, 'cache')), /not a readable package/)
    await expectPackageError(extractPackage(bytes, join(root, 'x'), {sha256: sha(bytes)}), /not a readable package/)
  })

  it('an index with a null function (or versions that are not a mapping) is a package error', () => {
    for (const functions of [{bomb: null}, {bomb: {versions: null}}, {bomb: {versions: {'1.0.0': null}}}, {bomb: {versions: []}}]) {
      let error: unknown
      try {
        parseIndex(JSON.stringify({schema: 1, functions}), 'index.json')
      } catch (e) {
        error = e
      }
      expect(error, JSON.stringify(functions)).to.be.instanceOf(LodeError)
      expect((error as InstanceType<typeof LodeError>).exitCode).to.equal(5)
    }
  })

  it('a package file larger than anything it may unpack to is refused before it is read (sparse 300 MB file)', async () => {
    const hub = join(root, 'big-hub')
    mkdirSync(hub)
    const big = join(hub, 'big-1.0.0.tgz')
    writeFileSync(big, '')
    truncateSync(big, 300 * 1024 * 1024)
    writeFileSync(join(hub, 'index.json'), JSON.stringify({schema: 1, functions: {big: {description: 'd', latest: '1.0.0', versions: {'1.0.0': {file: 'big-1.0.0.tgz', sha256: 'a'.repeat(64), size: 1, kind: 'node', handlers: ['h']}}}}}))
    const {resolveHubRef} = await import('../../../src/lib/hub/resolve.ts')
    await expectPackageError(resolveHubRef('hub://big', {sources: [{type: 'packed', dir: hub}], cacheDir: join(root, 'cache')}), /larger than \d+ bytes/)
  })

  it('the CLI answers a bomb with exit 5 and one JSON envelope', () => {
    const hub = join(root, 'hub')
    mkdirSync(hub)
    const bytes = bomb()
    writeFileSync(join(hub, 'bomb-1.0.0.tgz'), bytes)
    writeFileSync(join(hub, 'index.json'), JSON.stringify({schema: 1, functions: {bomb: {description: 'd', latest: '1.0.0', versions: {'1.0.0': {file: 'bomb-1.0.0.tgz', sha256: sha(bytes), size: bytes.length, kind: 'node', handlers: ['h']}}}}}))
    const project = join(root, 'p')
    mkdirSync(project)
    writeFileSync(join(project, 'lode.yaml'), 'name: p\n')
    const r = lode(['hub', 'pull', 'bomb', '--hub', hub, '--json'], {cwd: project, env: {LODE_CACHE_DIR: join(root, 'cache')}})
    expect(r.code, r.stderr).to.equal(5)
    const answer = JSON.parse(r.stdout) as {ok: boolean; error: {code: string; message: string}}
    expect(answer.ok).to.equal(false)
    expect(answer.error.message).to.match(/unpacks to more than/)
    const null_ = join(root, 'hub2')
    mkdirSync(null_)
    writeFileSync(join(null_, 'index.json'), JSON.stringify({schema: 1, functions: {bomb: null}}))
    const r2 = lode(['hub', 'ls', '--hub', null_, '--json'], {cwd: project})
    expect(r2.code, r2.stderr).to.equal(5)
    expect(JSON.parse(r2.stdout).ok).to.equal(false)
  })
})
