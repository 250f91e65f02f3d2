// lode reads a handler's output into one buffer per stream, overwritten by the next read: whatever keeps bytes of a
// chunk past the call (a partial line, a secret's first half, a redraw, half a character) must keep a copy. Each case
// is spread over many reads (the handler pauses between its writes) through a real `lode run`, and checked where the
// output ends up: output.log, the plain lines and the ndjson events.
import {expect} from 'chai'
import {readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {lode, tempDir} from '../helpers/project.ts'

const SECRET = 'Zq8-s3cr3t-value-0451'

// Writes `pieces` to stdout and stderr in turn, each write on its own (waits for it to drain, then a moment).
const HANDLER = `
const pieces = JSON.parse(require('fs').readFileSync('pieces.json', 'utf8'))
const wait = () => new Promise((r) => setTimeout(r, 5))
;(async () => {
  for (const [stream, hex] of pieces) {
    const out = stream === 'out' ? process.stdout : process.stderr
    if (!out.write(Buffer.from(hex, 'hex'))) await new Promise((r) => out.once('drain', r))
    await wait()
  }
})()
`

const LONG = Array.from({length: 40}, (_, i) => `part${i}-${'x'.repeat(i % 7)} `).join('')
const UTF8 = 'héllo wörld €9 — 日本語 ✓'

/** Each stream's writes: the whole text, cut into pieces that split lines, a secret, characters and redraws. */
function plan(): Array<[string, Buffer]> {
  const out: Buffer[] = []
  const err: Buffer[] = []
  // a long line in many writes
  for (const word of LONG.match(/.{1,9}/g)!) out.push(Buffer.from(word))
  out.push(Buffer.from(' end\n'))
  // a secret split over three writes, on both streams
  out.push(Buffer.from(`pre ${SECRET.slice(0, 5)}`), Buffer.from(SECRET.slice(5, 12)), Buffer.from(`${SECRET.slice(12)} post\n`))
  err.push(Buffer.from(`err ${SECRET.slice(0, 9)}`), Buffer.from(`${SECRET.slice(9)} tail\n`))
  // multibyte characters cut between their bytes
  const bytes = Buffer.from(`${UTF8}\n`)
  for (let at = 0; at < bytes.length; at += 3) out.push(bytes.subarray(at, at + 3))
  const errBytes = Buffer.from(`err ${UTF8}\n`)
  for (let at = 0; at < errBytes.length; at += 2) err.push(errBytes.subarray(at, at + 2))
  // progress redraws, one per write, then a line after them
  for (let p = 0; p <= 100; p += 20) out.push(Buffer.from(`\rprogress ${p}%`))
  out.push(Buffer.from('\nafter the progress\n'))
  for (let p = 0; p <= 100; p += 25) err.push(Buffer.from(`\rerr progress ${p}%`))
  err.push(Buffer.from('\n'))
  // a partial line left open while whole lines go by in the same stream's later reads
  out.push(Buffer.from('open line, first half / '))
  for (let i = 0; i < 5; i++) err.push(Buffer.from(`err line ${i}\n`))
  out.push(Buffer.from('second half\nlast line without newline'))
  const pieces: Array<[string, Buffer]> = []
  for (let i = 0; i < Math.max(out.length, err.length); i++) {
    if (out[i]) pieces.push(['out', out[i]!])
    if (err[i]) pieces.push(['err', err[i]!])
  }
  return pieces
}

const WANT_OUT = [`${LONG} end`, 'pre *** post', UTF8, 'progress 100%', 'after the progress', 'open line, first half / second half', 'last line without newline']
const WANT_ERR = ['err *** tail', `err ${UTF8}`, 'err progress 100%', ...Array.from({length: 5}, (_, i) => `err line ${i}`)]

describe('output: read into a reused buffer, kept by copy (e2e)', function () {
  this.timeout(120_000)
  let dir: string
  const env = {NODE_ENV: '', CI: '1', NO_COLOR: '1', OUTPUT_SECRET: SECRET}

  before(() => {
    dir = tempDir()
    expect(lode(['init', '--name', 'reused'], {cwd: dir}).code).to.equal(0)
    writeFileSync(join(dir, 'gen.cjs'), HANDLER)
    writeFileSync(join(dir, 'pieces.json'), JSON.stringify(plan().map(([s, b]) => [s, b.toString('hex')])))
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  const run = (flags: string[]) => {
    const runs = join(dir, '.lode', 'runs')
    const before = new Set(readdirSync(runs))
    const r = lode(['run', ...flags, '--secret', 'token=OUTPUT_SECRET', '--kind', 'exec', '--', process.execPath, 'gen.cjs'], {cwd: dir, env})
    expect(r.code, r.stderr).to.equal(0)
    const uid = readdirSync(runs).find((u) => !before.has(u))!
    return {...r, log: readFileSync(join(runs, uid, 'output.log'))}
  }

  /** output.log's lines of each stream (the log holds both, each line whole; `\r` redraws collapsed). */
  const logLines = (log: Buffer) => {
    const lines = log.toString('utf8').replace(/\r\n/g, '\n').split('\n')
    return {out: lines.filter((l) => !l.startsWith('err ') && l !== ''), err: lines.filter((l) => l.startsWith('err '))}
  }

  it('keeps every line whole in output.log and in the plain lines, secrets masked, characters and redraws intact', () => {
    const r = run([])
    expect(r.log.includes(Buffer.from(SECRET.slice(5, 12)))).to.equal(false)
    const log = logLines(r.log)
    expect(log.out).to.deep.equal(WANT_OUT)
    expect(log.err).to.deep.equal(WANT_ERR)
    const shown = (stream: 'out' | 'err') => r.stderr.split('\n').filter((l) => / (out|err) {3}/.test(l) && l.includes(` ${stream}   `)).map((l) => l.replace(/^\d\d:\d\d:\d\d (out|err) {3}/, ''))
    expect(shown('out')).to.deep.equal(WANT_OUT)
    expect(shown('err')).to.deep.equal(WANT_ERR)
  })

  it('sends every line whole as ndjson output events', () => {
    const r = run(['--events', 'ndjson'])
    const events = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as {t: string; stream?: string; line?: string})
    const lines = (stream: string) => events.filter((e) => e.t === 'output' && e.stream === stream).map((e) => e.line)
    expect(lines('stdout')).to.deep.equal(WANT_OUT)
    expect(lines('stderr')).to.deep.equal(WANT_ERR)
    expect(logLines(r.log).out).to.deep.equal(WANT_OUT)
  })
})
