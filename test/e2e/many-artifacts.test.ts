// A run that logs many artifacts: the plain lines account for every one of them (pending, then stored), and the
// ndjson events carry the same count.
import {expect} from 'chai'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {lode, tempDir} from '../helpers/project.ts'

const N = 400

describe('a run logging many artifacts (e2e)', function () {
  this.timeout(180_000)
  let dir: string
  before(() => {
    dir = tempDir()
    expect(lode(['init', '--name', 'many'], {cwd: dir}).code).to.equal(0)
    writeFileSync(join(dir, 'many.ts'), `
      import type {Context} from 'lode'
      export async function handler(ctx: Context) {
        for (let i = 0; i < ${N}; i++) await ctx.logArtifact('a' + i, {body: 'x' + i}, {format: 'txt'})
      }`)
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('prints one pending and one stored line per artifact, and sends one ingested event each', () => {
    const r = lode(['run', 'many.ts', '--events', 'ndjson'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    const lines = r.stderr.split('\n')
    const pending = lines.filter((line) => /^\d\d:\d\d:\d\d artifact a\d+ \(artifact, pending\)$/.test(line))
    const stored = lines.filter((line) => /^\d\d:\d\d:\d\d artifact a\d+ \(artifact, \d+ B\) store:\/\/artifacts\/many\/a\d+@[0-9a-f]+$/.test(line))
    expect(pending).to.have.length(N)
    expect(stored).to.have.length(N)
    expect(new Set(stored.map((line) => line.split(' ')[2])).size).to.equal(N)
    const events = r.stdout.trim().split('\n').map((line) => JSON.parse(line) as {t: string})
    expect(events.filter((e) => e.t === 'ingested')).to.have.length(N)
    expect(lines.some((line) => / completed in /.test(line))).to.equal(true)
  })
})
