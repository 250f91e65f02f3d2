// A full disk, for real: the project lives on a small tmpfs (mounting needs root and CAP_SYS_ADMIN; skipped without).
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {closeSync, mkdirSync, openSync, rmSync, writeSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, tempDir} from '../../helpers/project.ts'

/** Write zeros until the file system is full; returns the filler's path. */
function fill(dir: string): string {
  const path = join(dir, 'filler.bin')
  const fd = openSync(path, 'w')
  const chunk = Buffer.alloc(64 * 1024)
  try {
    for (;;) writeSync(fd, chunk)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
  } finally {
    closeSync(fd)
  }
  return path
}

describe('store: a full disk', function () {
  this.timeout(120_000)
  let mnt: string
  let dir: string
  const run = (args: string[]) => lode(args, {cwd: dir})
  before(function () {
    mnt = tempDir('lode-full-')
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mnt]).status !== 0) {
      rmSync(mnt, {recursive: true, force: true})
      this.skip() // not root, or no right to mount here
    }
  })
  after(() => {
    if (!mnt) return
    spawnSync('umount', [mnt])
    rmSync(mnt, {recursive: true, force: true})
  })
  beforeEach(() => {
    dir = join(mnt, 'p')
    mkdirSync(dir)
    expect(run(['init', '.']).code).to.equal(0)
    writeFileSync(join(dir, 'h.ts'), `
      import {openSync, writeSync} from 'node:fs'
      import {join} from 'node:path'
      export async function small(ctx) { await ctx.logArtifact('notes', {body: 'some notes'}) }
      export async function hog(ctx) {
        const fd = openSync(join(ctx.artifactPath, 'huge.bin'), 'w')
        const chunk = Buffer.alloc(1 << 20, 7)
        for (;;) writeSync(fd, chunk)
      }
      export async function chatty() {
        const line = 'x'.repeat(1000) + '\\n'
        for (;;) {
          for (let i = 0; i < 100; i++) process.stdout.write(line)
          await new Promise((r) => setImmediate(r))
        }
      }`)
    expect(run(['run', 'h.ts#small']).code).to.equal(0)
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('still lists runs and artifacts and verifies when the disk is full', () => {
    const filler = fill(mnt)
    try {
      for (const args of [['runs', 'ls'], ['artifacts', 'ls'], ['artifacts', 'verify']]) {
        const r = run(args)
        expect(r.code, `lode ${args.join(' ')}:\n${r.stderr}`).to.equal(0)
      }
      expect(run(['artifacts', 'ls']).stdout).to.contain('notes')
    } finally {
      rmSync(filler)
    }
  })

  for (const handler of ['hog', 'chatty']) {
    it(`records a run that fills the disk (${handler === 'hog' ? 'a staged file' : 'its output'}) as failed, not running`, () => {
      // a nearly full disk: what the run writes fills it
      const filler = fill(mnt)
      rmSync(filler)
      const pad = join(mnt, 'pad.bin')
      writeFileSync(pad, Buffer.alloc(8 << 20))
      try {
        const r = run(['run', `h.ts#${handler}`, '--json'])
        expect(r.code, r.stderr).to.not.equal(0)
        const runs = json(run(['runs', 'ls', '--json'])).data
        const last = (runs.runs ?? runs)[0]
        expect(last.name).to.contain(handler)
        expect(last.state, JSON.stringify(last)).to.equal('error')
      } finally {
        rmSync(pad, {force: true})
      }
    })
  }
})
