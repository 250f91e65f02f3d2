// Ctrl-C ends lode whatever it is busy with: hashing a large input before the run, storing a large artifact after it.
import {expect} from 'chai'
import {readdirSync, readlinkSync, rmSync, truncateSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, lodeAsync, tempDir} from '../helpers/project.ts'

/** Wait until process `pid` has `file` open (it is reading it). */
async function whileReading(pid: number, file: string): Promise<void> {
  for (;;) {
    let open: string[] = []
    try {
      open = readdirSync(`/proc/${pid}/fd`).map((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`)
        } catch {
          return ''
        }
      })
    } catch {
      throw new Error(`process ${pid} ended before it opened ${file}`)
    }
    if (open.some((p) => p.endsWith(file))) return
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('e2e: Ctrl-C while lode is busy', function () {
  this.timeout(120_000)
  let dir: string
  beforeEach(() => {
    dir = tempDir('lode-interrupt-')
    expect(lode(['init', '--name', 'busy'], {cwd: dir}).code).to.equal(0)
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  // A sparse file of 1 TiB takes no disk space, and many minutes to hash.
  it('while hashing a large input: exits 130 and says so', async () => {
    writeFileSync(join(dir, 'huge.bin'), '')
    truncateSync(join(dir, 'huge.bin'), 2 ** 40)
    const p = lodeAsync(['run', '--kind', 'exec', '-i', 'data=huge.bin', '--', 'true'], {cwd: dir})
    await whileReading(p.child.pid!, 'huge.bin')
    p.child.kill('SIGINT')
    const r = await p
    expect(r.code).to.equal(130)
    expect(r.stderr).to.contain('aborted (Ctrl-C)')
  })

  it('while storing a large artifact: exits 130 and records the run aborted', async () => {
    // the event written by hand: `lode log artifact` would hash the file in the handler; staged, lode only hashes it
    writeFileSync(join(dir, 'big.sh'), `#!/bin/sh
truncate -s 1T "$LODE_OUTPUT_DIR/huge.bin"
echo '{"t":"artifact","key":"huge","kind":"artifact","path":"'"$LODE_OUTPUT_DIR/huge.bin"'","format":"bin"}' >&3
`)
    const p = lodeAsync(['run', '--kind', 'exec', '--', 'sh', 'big.sh'], {cwd: dir})
    await whileReading(p.child.pid!, 'huge.bin')
    p.child.kill('SIGINT')
    const r = await p
    expect(r.code).to.equal(130)
    expect(r.stderr).to.contain('aborted (Ctrl-C)')
    const run = json(lode(['runs', 'ls', '--json'], {cwd: dir})).data[0]
    expect(run.state).to.equal('aborted')
    expect(run.error.message).to.contain('interrupted by Ctrl-C')
  })

  it('while copying a large artifact from outside the project: leaves no partial copy in the store', async () => {
    const outside = tempDir('lode-interrupt-outside-')
    try {
      writeFileSync(join(outside, 'huge.bin'), '')
      truncateSync(join(outside, 'huge.bin'), 2 ** 40)
      writeFileSync(join(dir, 'big.sh'), `echo '{"t":"artifact","key":"huge","kind":"artifact","path":"${join(outside, 'huge.bin')}"}' >&3\n`)
      const tmp = join(dir, '.lode', 'tmp')
      const p = lodeAsync(['run', '--kind', 'exec', '--', 'sh', 'big.sh'], {cwd: dir})
      await whileReading(p.child.pid!, 'huge.bin')
      for (;;) {
        try {
          if (readdirSync(tmp).length) break
        } catch {
          /* not made yet */
        }
        await new Promise((r) => setTimeout(r, 20))
      }
      p.child.kill('SIGINT')
      const r = await p
      expect(r.code).to.equal(130)
      expect(readdirSync(tmp)).to.deep.equal([])
    } finally {
      rmSync(outside, {recursive: true, force: true})
    }
  })
})
