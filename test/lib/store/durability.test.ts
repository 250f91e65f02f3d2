// An object is on disk before anything can reference it: its bytes are fsynced before it is renamed into place,
// and its folder after (a power loss must not leave a truncated object behind a committed record). Seen through
// the system calls a real process makes (strace), since a power loss cannot be staged in a test.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {hashBytes} from '../../../src/lib/util/hash.ts'
import {BIN, ROOT, tempDir} from '../../helpers/project.ts'

const hasStrace = spawnSync('strace', ['-V']).status === 0

/** The fsync and rename calls of a script that stores objects, with the paths of their file descriptors. */
function traceStore(dir: string, script: string): string[] {
  const log = join(dir, 'trace.log')
  const objects = JSON.stringify(join(ROOT, 'dist', 'lib', 'store', 'objects.js'))
  const r = spawnSync('strace', ['-f', '-y', '-qq', '-e', 'trace=fsync,fdatasync,rename,renameat,renameat2', '-o', log,
    process.execPath, '--input-type=module', '-e', `import {ObjectStore} from ${objects}\nconst store = new ObjectStore(${JSON.stringify(join(dir, 'store'))})\n${script}`], {encoding: 'utf8'})
  expect(r.status, r.stderr).to.equal(0)
  return readFileSync(log, 'utf8').split('\n').filter((l) => /fsync|rename/.test(l))
}

/**
 * A call that another thread interrupted in the trace is split in two lines ("<unfinished ...>", then "<... resumed>"):
 * joined back into one, where it finished.
 */
function joinResumed(lines: string[]): string[] {
  const open = new Map<string, string>()
  const out: string[] = []
  for (const line of lines) {
    const pid = line.split(' ', 1)[0]!
    if (line.endsWith('<unfinished ...>')) open.set(pid, line.slice(0, -'<unfinished ...>'.length).trimEnd())
    else if (/<\.\.\. \w+ resumed>/.test(line) && open.has(pid)) {
      out.push(open.get(pid)! + line.replace(/^.*?<\.\.\. \w+ resumed>/, ''))
      open.delete(pid)
    } else out.push(line)
  }
  return out
}

/** Index of the first line matching, failing with the whole trace when none does. */
function indexOf(lines: string[], re: RegExp, what: string): number {
  const i = lines.findIndex((l) => re.test(l))
  expect(i, `${what} in:\n${lines.join('\n')}`).to.be.greaterThan(-1)
  return i
}

describe('store/objects: durable before referenced', function () {
  this.timeout(60_000)
  let dir: string
  before(function () {
    if (!hasStrace) this.skip() // strace is what sees the system calls; CI installs it (.ci/run)
  })
  beforeEach(() => {
    dir = tempDir()
    mkdirSync(join(dir, 'staging'))
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  for (const move of [true, false]) {
    it(`fsyncs a ${move ? 'staged (moved)' : 'copied'} file before renaming it into place, then its folder`, () => {
      const src = join(dir, 'staging', 'data.bin')
      writeFileSync(src, 'x'.repeat(100_000))
      const lines = traceStore(dir, `const put = await store.putFile(${JSON.stringify(src)}, {move: ${move}})\nconsole.log(put.sha256)`)
      const into = indexOf(lines, /rename.*objects\/sha256\/[0-9a-f]{2}\/[0-9a-f]{62}/, 'the rename into objects/')
      const renamed = /rename\w*\((?:AT_FDCWD, )?"([^"]+)"/.exec(lines[into]!)?.[1]
      expect(renamed, lines[into]).to.be.a('string')
      const fileSynced = indexOf(lines, new RegExp(`f(data)?sync\\(\\d+<${renamed!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}>`), 'an fsync of the file')
      expect(fileSynced, 'the file is fsynced before it is renamed into place').to.be.lessThan(into)
      const dirSynced = lines.findIndex((l, i) => i > into && /fsync\(\d+<[^>]*objects\/sha256\/[0-9a-f]{2}>/.test(l))
      expect(dirSynced, `the object's folder is fsynced after the rename:\n${lines.join('\n')}`).to.be.greaterThan(into)
    })
  }

  it('a staged file hashed early (while its handler ran) was fsynced by that pass, before its rename into place; the folder after', () => {
    const src = join(dir, 'staging', 'data.bin')
    writeFileSync(src, 'x'.repeat(100_000))
    const lines = traceStore(dir, `const known = await store.prehash(${JSON.stringify(src)}, new AbortController().signal)\nif (!known) throw new Error('no early hash')\nconst put = await store.putFile(${JSON.stringify(src)}, {move: true, known})\nconsole.log(put.sha256)`)
    const into = indexOf(lines, /rename.*objects\/sha256\/[0-9a-f]{2}\/[0-9a-f]{62}/, 'the rename into objects/')
    const fileSynced = indexOf(lines, /f(data)?sync\(\d+<[^>]*staging\/data\.bin>/, 'an fsync of the file')
    expect(fileSynced, 'the file is fsynced before it is renamed into place').to.be.lessThan(into)
    const dirSynced = lines.findIndex((l, i) => i > into && /fsync\(\d+<[^>]*objects\/sha256\/[0-9a-f]{2}>/.test(l))
    expect(dirSynced, `the object's folder is fsynced after the rename:\n${lines.join('\n')}`).to.be.greaterThan(into)
  })

  it('fsyncs a copied file of 64 MiB and more (copied and fsynced by child processes) before renaming it into place, with its exact bytes', () => {
    const src = join(dir, 'big.bin')
    const bytes = Buffer.alloc(64 * 1024 * 1024 + 4097) // not a whole number of disk blocks
    for (let i = 0; i + 4 <= bytes.length; i += 4093) bytes.writeUInt32LE(i, i)
    writeFileSync(src, bytes)
    const lines = joinResumed(traceStore(dir, `await store.putFile(${JSON.stringify(src)}, {move: false})`))
    const sha = hashBytes(bytes)
    const into = indexOf(lines, new RegExp(`rename.*objects/sha256/${sha.slice(0, 2)}/${sha.slice(2)}`), 'the rename into objects/')
    const tmp = /rename\w*\((?:AT_FDCWD, )?"([^"]+)"/.exec(lines[into]!)?.[1]
    expect(lines.slice(0, into).some((l) => l.includes(`<${tmp}>`) && /f(data)?sync\(/.test(l)), lines.join('\n')).to.equal(true)
    expect(hashBytes(readFileSync(join(dir, 'store', 'objects', 'sha256', sha.slice(0, 2), sha.slice(2))))).to.equal(sha)
  })

  it('fsyncs bytes written by lode itself (putBytes) before renaming them into place', () => {
    const lines = traceStore(dir, `await store.putBytes('hello durable world')`)
    const into = indexOf(lines, /rename.*objects\/sha256\//, 'the rename into objects/')
    const tmp = /rename\w*\((?:AT_FDCWD, )?"([^"]+)"/.exec(lines[into]!)?.[1]
    expect(lines.slice(0, into).some((l) => l.includes(`<${tmp}>`) && /fsync/.test(l)), lines.join('\n')).to.equal(true)
  })

  it('a run storing several objects in one folder fsyncs that folder once, after its last rename, before the records are written', () => {
    // bodies whose objects share a folder (the first two hex digits of their sha256), found rather than assumed
    const bodies: string[] = []
    const folder = hashBytes('body 0').slice(0, 2)
    for (let i = 0; bodies.length < 4; i++) if (hashBytes(`body ${i}`).slice(0, 2) === folder) bodies.push(`body ${i}`)
    spawnSync(process.execPath, [BIN, 'init', '--name', 'd'], {cwd: dir})
    writeFileSync(join(dir, 'many.ts'), `export async function handler(ctx) {
      for (const [i, body] of ${JSON.stringify(bodies)}.entries()) await ctx.logArtifact('a' + i, {body})
    }`)
    const log = join(dir, 'trace.log')
    const r = spawnSync('strace', ['-f', '-y', '-qq', '-e', 'trace=fsync,fdatasync,rename,renameat,renameat2,pwrite64', '-o', log, process.execPath, BIN, 'run', 'many.ts'],
      {cwd: dir, encoding: 'utf8', env: {...process.env, NODE_ENV: '', CI: '1'}})
    expect(r.status, r.stderr).to.equal(0)
    const lines = joinResumed(readFileSync(log, 'utf8').split('\n'))
    const intoFolder = new RegExp(`rename\\w*\\(.*objects/sha256/${folder}/[0-9a-f]{62}`)
    const renames = lines.flatMap((l, i) => (intoFolder.test(l) && / = 0$/.test(l) ? [i] : [])) // done, not refused
    expect(renames, 'one rename into the folder per object').to.have.length(bodies.length)
    for (const i of renames) {
      const src = /rename\w*\((?:AT_FDCWD, )?"([^"]+)"/.exec(lines[i]!)![1]!
      expect(lines.slice(0, i).some((l) => /f(data)?sync\(/.test(l) && l.includes(`<${src}>`)), `${src} is fsynced before it is renamed into place`).to.equal(true)
    }
    const folderSyncs = lines.flatMap((l, i) => (new RegExp(`fsync\\(\\d+<[^>]*objects/sha256/${folder}>`).test(l) ? [i] : []))
    expect(folderSyncs, `the folder is fsynced once:\n${lines.filter((l) => /objects\/|lode\.db/.test(l)).join('\n')}`).to.have.length(1)
    expect(folderSyncs[0], 'after its last rename').to.be.greaterThan(renames.at(-1)!)
    const recordsWritten = lines.findIndex((l, i) => i > renames.at(-1)! && /pwrite64\(\d+<[^>]*lode\.db-wal>/.test(l))
    expect(recordsWritten, 'the records are written after the objects').to.be.greaterThan(-1)
    expect(folderSyncs[0], 'before the records are written').to.be.lessThan(recordsWritten)
  })
})
