// An object is on disk before anything can reference it: its bytes are fsynced before it is renamed into place,
// and its folder after (a power loss must not leave a truncated object behind a committed record). Seen through
// the system calls a real process makes (strace), since a power loss cannot be staged in a test.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT, tempDir} from '../../helpers/project.ts'

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

  it('fsyncs bytes written by lode itself (putBytes) before renaming them into place', () => {
    const lines = traceStore(dir, `await store.putBytes('hello durable world')`)
    const into = indexOf(lines, /rename.*objects\/sha256\//, 'the rename into objects/')
    const tmp = /rename\w*\((?:AT_FDCWD, )?"([^"]+)"/.exec(lines[into]!)?.[1]
    expect(lines.slice(0, into).some((l) => l.includes(`<${tmp}>`) && /fsync/.test(l)), lines.join('\n')).to.equal(true)
  })
})
