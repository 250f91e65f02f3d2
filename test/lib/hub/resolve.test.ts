import {expect} from 'chai'
import {existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {IntegrityError, LodeError} from '../../../src/lib/errors.ts'
import {defaultCacheDir} from '../../../src/lib/hub/cache.ts'
import {listHub} from '../../../src/lib/hub/catalog.ts'
import {packHub} from '../../../src/lib/hub/pack.ts'
import {resolveHubRef} from '../../../src/lib/hub/resolve.ts'
import {builtInHubDir, hubSources, parseHubSource} from '../../../src/lib/hub/sources.ts'
import type {HubSource} from '../../../src/lib/hub/types.ts'
import {serveFolder} from './http-hub.ts'
import {rawTgz} from './raw-tar.ts'
import {removeDir, tempDir, writeFunction} from './fixtures.ts'

describe('hub/resolve', () => {
  let root: string
  let cacheDir: string
  beforeEach(() => {
    root = tempDir('resolve')
    cacheDir = join(root, 'cache')
  })
  afterEach(() => removeDir(root))

  /** A packed hub with greet 1.0.0, 1.2.0 and 1.10.0. */
  function packedHub(): string {
    const out = join(root, 'packed')
    for (const version of ['1.2.0', '1.10.0', '1.0.0']) {
      const src = join(root, `src-${version}`)
      writeFunction(src, {name: 'greet-people', version})
      packHub(src, out)
    }
    return out
  }

  it('resolves from a folder hub into a read-only cache copy', async () => {
    const hub = join(root, 'hub')
    writeFunction(hub, {name: 'greet', version: '1.0.0'})
    const sources: HubSource[] = [{type: 'folder', dir: hub}]
    const r = await resolveHubRef('hub://greet', {sources, cacheDir})
    expect(r).to.include({name: 'greet', version: '1.0.0', hub})
    expect(r.sha256).to.match(/^[0-9a-f]{64}$/)
    expect(r.dir).to.equal(join(cacheDir, 'hub', 'greet', `1.0.0-${r.sha256.slice(0, 12)}`))
    expect(r.sourceFile).to.equal(join(r.dir, 'greet.ts'))
    expect(readFileSync(r.sourceFile, 'utf8')).to.contain('hello 1.0.0')
    expect(lstatSync(r.sourceFile).mode & 0o222).to.equal(0)
    expect(r.spec.handlers.map((h) => h.name)).to.deep.equal(['greet', 'shout'])
    // a second resolution reuses the cache
    expect((await resolveHubRef('hub://greet:1.0.0', {sources, cacheDir})).dir).to.equal(r.dir)
  })

  it("treats '-' and '_' in names as the same", async () => {
    const sources: HubSource[] = [{type: 'packed', dir: packedHub()}]
    const a = await resolveHubRef('hub://greet_people:1.0.0', {sources, cacheDir})
    const b = await resolveHubRef('hub://greet-people:1.0.0', {sources, cacheDir})
    expect(a.name).to.equal('greet-people')
    expect(b.dir).to.equal(a.dir)
  })

  it('chooses the highest version when none is given (1.10.0 > 1.2.0)', async () => {
    const sources: HubSource[] = [{type: 'packed', dir: packedHub()}]
    const [fn] = await listHub(sources)
    expect(fn!.versions.map((v) => v.version)).to.deep.equal(['1.10.0', '1.2.0', '1.0.0'])
    expect((await resolveHubRef('hub://greet-people', {sources, cacheDir})).version).to.equal('1.10.0')
    expect((await resolveHubRef('hub://greet-people:1.2.0', {sources, cacheDir})).version).to.equal('1.2.0')
    try {
      await resolveHubRef('hub://greet-people:9.9.9', {sources, cacheDir})
      expect.fail('should not resolve')
    } catch (error) {
      expect(error).to.be.instanceOf(LodeError)
      expect((error as LodeError).code).to.equal('not_found')
      expect((error as Error).message).to.contain('versions: 1.10.0, 1.2.0, 1.0.0')
    }
  })

  it('fetches a packed hub over http as a URL source', async () => {
    const server = await serveFolder(packedHub())
    try {
      const sources = [parseHubSource(server.url, root)]
      expect(sources[0]).to.deep.equal({type: 'url', url: server.url})
      const r = await resolveHubRef('hub://greet-people', {sources, cacheDir})
      expect(r).to.include({name: 'greet-people', version: '1.10.0', hub: server.url})
      expect(readFileSync(r.sourceFile, 'utf8')).to.contain('hello 1.10.0')
      expect(server.requests).to.deep.equal(['/hub/index.json', '/hub/greet-people-1.10.0.tgz'])
      await resolveHubRef('hub://greet-people', {sources, cacheDir})
      expect(server.requests.filter((p) => p.endsWith('.tgz')), 'cached: not downloaded again').to.have.length(1)
    } finally {
      await server.close()
    }
  })

  it('refuses a package whose bytes do not match the index', async () => {
    const packed = packedHub()
    const file = join(packed, 'greet-people-1.0.0.tgz')
    const bytes = readFileSync(file)
    bytes[bytes.length - 10]! ^= 0xff
    writeFileSync(file, bytes)
    try {
      await resolveHubRef('hub://greet-people:1.0.0', {sources: [{type: 'packed', dir: packed}], cacheDir})
      expect.fail('should be refused')
    } catch (error) {
      expect(error).to.be.instanceOf(IntegrityError)
    }
    expect(existsSync(join(cacheDir, 'hub', 'greet_people')) && readdirSync(join(cacheDir, 'hub', 'greet_people')).length).to.not.be.ok
  })

  it('refuses an index whose names or versions would escape the cache', async () => {
    const packed = join(root, 'evil')
    mkdirSync(packed)
    const entry = {file: 'x.tgz', sha256: 'a'.repeat(64), size: 1, kind: 'node', handlers: []}
    for (const [name, version, pattern] of [['../../escape', '1.0.0', /is not a function name/], ['ok', '../1.0.0', /is not an x\.y\.z version/]] as const) {
      writeFileSync(join(packed, 'index.json'), JSON.stringify({schema: 1, functions: {[name]: {description: '', categories: [], latest: version, versions: {[version]: entry}}}}))
      try {
        await listHub([{type: 'packed', dir: packed}])
        expect.fail('should be refused')
      } catch (error) {
        expect((error as Error).message).to.match(pattern)
      }
    }
    expect(existsSync(cacheDir)).to.equal(false)
  })

  it('refuses a package whose function.yaml is unsafe or malformed as a damaged package (exit 5)', async () => {
    const spec = readFileSync(join(writeFunction(join(root, 'src'), {name: 'greet', version: '1.0.0'}), 'function.yaml'), 'utf8')
    const cases: [string, {path: string; body: string}[], RegExp][] = [
      ['source outside the package', [{path: 'function.yaml', body: spec.replace('source: greet.ts', 'source: ../../../etc/passwd')}, {path: 'greet.ts', body: ''}], /must be a path inside the function folder/],
      ['missing source file', [{path: 'function.yaml', body: spec.replace('source: greet.ts', 'source: gone.ts')}], /does not exist/],
      ['invalid YAML', [{path: 'function.yaml', body: 'name: [greet\n'}, {path: 'greet.ts', body: ''}], /invalid YAML/],
      ['no function.yaml', [{path: 'greet.ts', body: ''}], /no such file/],
    ]
    for (const [what, entries, pattern] of cases) {
      const packed = join(root, `bad-${cases.findIndex((c) => c[0] === what)}`)
      mkdirSync(packed)
      const pkg = rawTgz(entries)
      writeFileSync(join(packed, 'greet-1.0.0.tgz'), pkg.bytes)
      const entry = {file: 'greet-1.0.0.tgz', sha256: pkg.sha256, size: pkg.bytes.length, kind: 'node', handlers: ['greet']}
      writeFileSync(join(packed, 'index.json'), JSON.stringify({schema: 1, functions: {greet: {description: '', categories: [], latest: '1.0.0', versions: {'1.0.0': entry}}}}))
      for (const attempt of ['first', 'cached']) {
        try {
          await resolveHubRef('hub://greet', {sources: [{type: 'packed', dir: packed}], cacheDir: join(root, `cache-${what}`)})
          expect.fail(`${what}: should be refused`)
        } catch (error) {
          expect(error, `${what} (${attempt})`).to.be.instanceOf(LodeError)
          expect((error as LodeError).exitCode, `${what} (${attempt}): ${(error as Error).message}`).to.equal(5)
          expect((error as Error).message, what).to.contain('hub://greet:1.0.0').and.match(pattern)
        }
      }
    }
  })

  it('refuses a pinned version whose hash changed since it was cached', async () => {
    const hub = join(root, 'hub')
    const dir = writeFunction(hub, {name: 'greet', version: '1.0.0'})
    const sources: HubSource[] = [{type: 'folder', dir: hub}]
    const first = await resolveHubRef('hub://greet:1.0.0', {sources, cacheDir})
    writeFileSync(join(dir, 'greet.ts'), 'export async function greet() { return {greeting: "changed"} }\nexport async function shout() {}\n')
    for (const ref of ['hub://greet:1.0.0', 'hub://greet']) {
      try {
        await resolveHubRef(ref, {sources, cacheDir})
        expect.fail('a changed pinned version must be refused')
      } catch (error) {
        expect(error).to.be.instanceOf(IntegrityError)
        expect((error as Error).message).to.match(/hub:\/\/greet:1\.0\.0 changed: the cached copy has sha256 [0-9a-f]{64}, .* now says/)
      }
    }
    expect(readFileSync(first.sourceFile, 'utf8'), 'the cached copy is untouched').to.contain('hello 1.0.0')
  })

  it('merges sources in order: --hub, LODE_HUB, lode.yaml hubs, then the built-in hub', () => {
    const sources = hubSources({flags: ['a', 'https://h.example/hub/'], env: {LODE_HUB: 'b, c'}, project: {dir: '/p', hubs: ['d', '/abs']}, cwd: '/cwd'})
    expect(sources).to.deep.equal([
      {type: 'folder', dir: '/cwd/a'},
      {type: 'url', url: 'https://h.example/hub/'},
      {type: 'folder', dir: '/cwd/b'},
      {type: 'folder', dir: '/cwd/c'},
      {type: 'folder', dir: '/p/d'},
      {type: 'folder', dir: '/abs'},
      {type: 'folder', dir: builtInHubDir()},
    ])
    expect(builtInHubDir()).to.equal(join(import.meta.dirname, '..', '..', '..', 'function-hub'))
  })

  it('refuses a file:// hub URL with a host or an encoded slash as bad input (exit 2), not a bug', () => {
    for (const spec of ['file://elsewhere/hub', 'file:///a%2fb']) {
      let error: unknown
      try {
        hubSources({flags: [spec], cwd: '/cwd'})
      } catch (e) {
        error = e
      }
      expect(error, spec).to.be.instanceOf(LodeError)
      expect((error as LodeError).exitCode).to.equal(2)
      expect((error as Error).message).to.contain('Malformed file:// hub URL')
    }
    expect(parseHubSource('file:///abs/hub', '/cwd')).to.deep.equal({type: 'folder', dir: '/abs/hub'})
  })

  it('lets an earlier source win for the same version and merges the versions of all', async () => {
    const first = join(root, 'first')
    const second = join(root, 'second')
    writeFunction(first, {name: 'greet', version: '1.0.0', description: 'from first'})
    writeFunction(second, {name: 'greet', version: '1.0.0', description: 'from second'})
    writeFunction(second, {name: 'greet', version: '2.0.0', description: 'newer, from second'}, 'greet2')
    const [fn] = await listHub([{type: 'folder', dir: first}, {type: 'folder', dir: second}])
    expect(fn!.versions.map((v) => [v.version, v.description])).to.deep.equal([['2.0.0', 'newer, from second'], ['1.0.0', 'from first']])
  })

  it('skips a broken function of a folder hub with a warning', async () => {
    const hub = join(root, 'hub')
    writeFunction(hub, {name: 'greet', version: '1.0.0'})
    const broken = writeFunction(hub, {name: 'broken', version: '1.0.0'})
    writeFileSync(join(broken, 'function.yaml'), 'name: broken\n')
    const warnings: string[] = []
    const fns = await listHub([{type: 'folder', dir: hub}], {onWarning: (m) => warnings.push(m)})
    expect(fns.map((f) => f.name)).to.deep.equal(['greet'])
    expect(warnings[0]).to.match(/skipping .*broken: .*version: is required/s)
  })

  it('finds the cache from LODE_CACHE_DIR, XDG_CACHE_HOME, then ~/.cache', () => {
    expect(defaultCacheDir({LODE_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x'})).to.equal('/c')
    expect(defaultCacheDir({XDG_CACHE_HOME: '/x'})).to.equal('/x/lode')
    expect(defaultCacheDir({})).to.match(/\.cache\/lode$/)
  })
})
