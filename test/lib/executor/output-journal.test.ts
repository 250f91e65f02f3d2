// A run's output.log keeps the handler's bytes as they came, secrets masked, whatever the bytes are and wherever
// the chunks were cut; what is shown gets the same masked bytes.
import {expect} from 'chai'
import {readFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {openJournal} from '../../../src/lib/executor/execute.ts'
import {createMask} from '../../../src/lib/secrets/mask.ts'
import {json, lode, tempDir} from '../../helpers/project.ts'

const SECRET = 'hunter2-é-secret'

/** What openJournal writes to output.log and passes on, for the bytes cut into chunks at `cuts`. */
function journal(dir: string, bytes: Buffer, cuts: number[]): {log: Buffer; shown: Buffer} {
  rmSync(join(dir, 'output.log'), {force: true})
  const shown: Buffer[] = []
  const j = openJournal(dir, {onOutput: (_stream, chunk) => shown.push(Buffer.from(chunk))}, () => {}, createMask([SECRET]))
  let from = 0
  for (const cut of [...cuts, bytes.length]) {
    // a fresh buffer per chunk, refilled afterwards: nothing may keep pointing at it
    const chunk = Buffer.from(bytes.subarray(from, cut))
    j.output('stdout', chunk)
    chunk.fill(0x21)
    from = cut
  }
  j.flush()
  j.close()
  return {log: readFileSync(join(dir, 'output.log')), shown: Buffer.concat(shown)}
}

describe('output: the journal of a run with secrets', function () {
  this.timeout(60_000)
  let dir: string
  before(() => (dir = tempDir()))
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('keeps bytes that are not UTF-8 as they came, and masks the secret wherever a chunk was cut', () => {
    const head = Buffer.from([0xff, 0xfe, 0x20, 0xc3])
    const bytes = Buffer.concat([head, Buffer.from(` pw=${SECRET}; again ${SECRET.slice(0, 7)} and ${SECRET}\n`), Buffer.from([0xe2, 0x82])])
    const want = Buffer.concat([head, Buffer.from(' pw=***; again hunter2 and ***\n'), Buffer.from([0xe2, 0x82])])
    const wrong: string[] = []
    for (let a = 0; a <= bytes.length; a++) {
      for (const b of [a, a + 1, a + 5, a + 17]) {
        const cuts = [...new Set([a, Math.min(b, bytes.length)])]
        const {log, shown} = journal(dir, bytes, cuts)
        if (!log.equals(want) || !shown.equals(want)) wrong.push(`cut at ${cuts.join(', ')}: ${JSON.stringify(log.toString('latin1'))}`)
      }
    }
    expect(wrong).to.deep.equal([])
  })

  it('keeps a run\'s bytes that are not UTF-8 in output.log when it has a secret (e2e)', () => {
    const project = tempDir()
    try {
      expect(lode(['init', '--name', 'bytes'], {cwd: project}).code).to.equal(0)
      const r = lode(['run', '--secret', 'token', '--kind', 'exec', '--json', '--', 'printf', `\\377\\376 ${SECRET}\\n`], {cwd: project, env: {token: SECRET}})
      const uid = json(r).data.uid as string
      const log = readFileSync(join(project, '.lode', 'runs', uid, 'output.log'))
      expect(log.equals(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(' ***\n')]))).to.equal(true, JSON.stringify(log.toString('latin1')))
    } finally {
      rmSync(project, {recursive: true, force: true})
    }
  })
})
