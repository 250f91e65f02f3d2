import {expect} from 'chai'
import {cpSync, mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync, lstatSync} from 'node:fs'
import {join} from 'node:path'
import {list} from 'tar'
import {UserError} from '../../../src/lib/errors.ts'
import {extractPackage} from '../../../src/lib/hub/extract.ts'
import {packFunction, packHub} from '../../../src/lib/hub/pack.ts'
import type {HubIndex} from '../../../src/lib/hub/types.ts'
import {removeDir, tempDir, writeFunction} from './fixtures.ts'

describe('hub/pack', () => {
  let root: string
  beforeEach(() => (root = tempDir('pack')))
  afterEach(() => removeDir(root))

  it('gives the same sha256 for the same files, whatever their mtimes or the folder they are in', () => {
    const a = writeFunction(join(root, 'a'), {name: 'greet', version: '1.0.0'})
    const b = join(root, 'b', 'greet')
    cpSync(a, b, {recursive: true})
    utimesSync(join(b, 'greet.ts'), new Date('2001-02-03'), new Date('2001-02-03'))
    expect(packFunction(b).sha256).to.equal(packFunction(a).sha256)
    writeFileSync(join(b, 'greet.ts'), 'export async function greet() {}\n')
    expect(packFunction(b).sha256).to.not.equal(packFunction(a).sha256)
  })

  it('skips node_modules, .lode and test output, and keeps the executable bit', async () => {
    const dir = writeFunction(root, {name: 'greet', version: '1.0.0'})
    for (const junk of ['node_modules/x', '.lode/tmp', 'test-output', 'test']) mkdirSync(join(dir, junk), {recursive: true})
    writeFileSync(join(dir, 'node_modules/x/index.js'), '')
    writeFileSync(join(dir, '.lode/tmp/blob'), '')
    writeFileSync(join(dir, 'test-output/report.txt'), '')
    writeFileSync(join(dir, 'test/greet.test.ts'), '// kept\n')
    const pkg = packFunction(dir)
    const entries: {path: string; mode: number; mtime: number; uid: number}[] = []
    const file = join(root, 'p.tgz')
    writeFileSync(file, pkg.bytes)
    await list({file, onReadEntry: (e) => entries.push({path: e.path, mode: e.mode!, mtime: e.mtime!.getTime(), uid: e.uid!})})
    expect(entries.map((e) => e.path)).to.deep.equal(['README.md', 'bin/run.sh', 'function.yaml', 'greet.ts', 'test/greet.test.ts'])
    expect(entries.find((e) => e.path === 'bin/run.sh')!.mode).to.equal(0o755)
    expect(entries.find((e) => e.path === 'greet.ts')!.mode).to.equal(0o644)
    expect(new Set(entries.map((e) => e.mtime)).size).to.equal(1)
    expect(entries.every((e) => e.uid === 0)).to.equal(true)
    const out = join(root, 'out')
    await extractPackage(pkg.bytes, out, {sha256: pkg.sha256})
    expect(readFileSync(join(out, 'greet.ts'), 'utf8')).to.equal(readFileSync(join(dir, 'greet.ts'), 'utf8'))
    expect(lstatSync(join(out, 'bin/run.sh')).mode & 0o111).to.not.equal(0)
  })

  it('packs long paths (pax headers) that extract back to the same path', async () => {
    const dir = writeFunction(root, {name: 'greet', version: '1.0.0'})
    const deep = join(dir, 'a'.repeat(90), 'b'.repeat(90), 'c'.repeat(90))
    mkdirSync(deep, {recursive: true})
    writeFileSync(join(deep, `${'d'.repeat(120)}.txt`), 'deep')
    const pkg = packFunction(dir)
    const out = join(root, 'out')
    await extractPackage(pkg.bytes, out, {sha256: pkg.sha256})
    expect(readFileSync(join(out, 'a'.repeat(90), 'b'.repeat(90), 'c'.repeat(90), `${'d'.repeat(120)}.txt`), 'utf8')).to.equal('deep')
  })

  it('writes <name>-<version>.tgz and index.json, and merges into an existing index keeping older versions', () => {
    const src = join(root, 'src')
    writeFunction(src, {name: 'greet', version: '1.0.0'})
    writeFunction(src, {name: 'other-fn', version: '0.1.0'})
    const out = join(root, 'hub')
    const first = packHub(src, out)
    expect(first.functions.map((f) => `${f.name}:${f.version}`)).to.deep.equal(['greet:1.0.0', 'other-fn:0.1.0'])
    removeDir(src)
    writeFunction(src, {name: 'greet', version: '1.1.0', description: 'Greets, newer'})
    const second = packHub(src, out)
    expect(second.functions).to.have.length(1)
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as HubIndex
    expect(index.schema).to.equal(1)
    expect(Object.keys(index.functions)).to.deep.equal(['greet', 'other-fn'])
    const greet = index.functions.greet!
    expect(greet.latest).to.equal('1.1.0')
    expect(greet.description).to.equal('Greets, newer')
    expect(Object.keys(greet.versions)).to.deep.equal(['1.0.0', '1.1.0'])
    expect(greet.versions['1.0.0']).to.include({file: 'greet-1.0.0.tgz', sha256: first.functions[0]!.sha256, kind: 'node'})
    expect(greet.versions['1.0.0']!.handlers).to.deep.equal(['greet', 'shout'])
    expect(readdirSync(out).sort()).to.deep.equal(['greet-1.0.0.tgz', 'greet-1.1.0.tgz', 'index.json', 'other-fn-0.1.0.tgz'])
    // packing the same files again is a no-op
    expect(packHub(src, out).functions[0]!.added).to.equal(false)
  })

  it('refuses to re-pack a published version with other contents', () => {
    const src = join(root, 'src')
    const dir = writeFunction(src, {name: 'greet', version: '1.0.0'})
    const out = join(root, 'hub')
    packHub(src, out)
    const before = readFileSync(join(out, 'greet-1.0.0.tgz'))
    writeFileSync(join(dir, 'greet.ts'), 'export async function greet() { return 2 }\nexport async function shout() {}\n')
    expect(() => packHub(src, out)).to.throw(UserError, /greet:1.0.0 is already in .* with other contents/)
    expect(readFileSync(join(out, 'greet-1.0.0.tgz')).equals(before)).to.equal(true)
  })
})
