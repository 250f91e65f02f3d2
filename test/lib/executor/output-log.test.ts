// output.log's lines: a `\r` redraw keeps its last state, a line is cut at LOG_LINE_BYTES and marked, everything else
// is the handler's bytes as they came, wherever its chunks were cut.
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {LOG_LINE_BYTES, LogLines} from '../../../src/lib/executor/output-log.ts'
import {tempProject} from '../../helpers/project.ts'

const CUT = `... [line cut at ${LOG_LINE_BYTES} bytes]`

/** What LogLines writes for `bytes` pushed in chunks cut at `cuts`. */
function logOf(bytes: Buffer, cuts: number[]): Buffer {
  const out: Buffer[] = []
  const lines = new LogLines((parts) => out.push(...parts.map((p) => Buffer.from(p))))
  let from = 0
  for (const cut of [...cuts, bytes.length]) {
    // a fresh buffer per chunk, spoilt afterwards: nothing may keep pointing at it
    const chunk = Buffer.from(bytes.subarray(from, cut))
    lines.push(chunk)
    chunk.fill(0x21)
    from = cut
  }
  lines.flush()
  return Buffer.concat(out)
}

/** The same, the plain way: line by line, the part after a line's last `\r` (one before its newline ends a `\r\n`). */
function expected(text: string): string {
  const lines = text.split('\n')
  return lines.map((line, i) => {
    const crlf = i < lines.length - 1 && line.endsWith('\r')
    const body = line.replace(/\r+$/, '')
    let kept = Buffer.from(body.slice(body.lastIndexOf('\r') + 1))
    let cut = false
    if (kept.length > LOG_LINE_BYTES) {
      let stop = LOG_LINE_BYTES
      while (stop > 0 && (kept[stop]! & 0xc0) === 0x80) stop--
      kept = kept.subarray(0, stop)
      cut = true
    }
    return kept.toString() + (cut ? CUT : '') + (crlf ? '\r' : '')
  }).join('\n')
}

describe('output.log: redraws collapsed, long lines cut', function () {
  this.timeout(60_000)

  it('keeps plain lines and a last line without a newline as they came, chunked anyhow', () => {
    const text = 'one\ntwo\n\nthree'
    for (let a = 0; a <= text.length; a++) expect(logOf(Buffer.from(text), [a]).toString()).to.equal(text)
  })

  it('keeps the last state of a \\r redraw, and \\r\\n as it is, wherever the chunks are cut', () => {
    const text = 'step 1\r\nprogress 1%\rprogress 50%\rprogress 100%\ndone\r\n\rnew\r\r\nend 1%\rend 2%'
    const want = 'step 1\r\nprogress 100%\ndone\r\nnew\r\nend 2%'
    expect(expected(text)).to.equal(want)
    const wrong: string[] = []
    for (let a = 0; a <= text.length; a++) {
      for (const b of [a, a + 1, a + 3]) {
        const cuts = [...new Set([a, Math.min(b, text.length)])]
        const got = logOf(Buffer.from(text), cuts).toString()
        if (got !== want) wrong.push(`cut at ${cuts.join(',')}: ${JSON.stringify(got)}`)
      }
    }
    expect(wrong).to.deep.equal([])
  })

  it('cuts a line at LOG_LINE_BYTES, between characters, marks it, and keeps the next lines whole', () => {
    const long = 'é'.repeat(LOG_LINE_BYTES) // two bytes each: the cut falls between them
    const text = `short\n${long}\nafter\nx${'y'.repeat(LOG_LINE_BYTES + 10)}\rredrawn\n`
    const want = `short\n${'é'.repeat(LOG_LINE_BYTES / 2)}${CUT}\nafter\nredrawn\n`
    expect(expected(text)).to.equal(want)
    for (const size of [1000, 4096, 65_536, 65_537, 300_000]) {
      const cuts: number[] = []
      for (let at = size; at < Buffer.byteLength(text); at += size) cuts.push(at)
      expect(logOf(Buffer.from(text), cuts).toString(), `chunks of ${size}`).to.equal(want)
    }
  })

  it('answers as a line-by-line reading does, for random text in random chunks', () => {
    let seed = 7
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n)
    const pieces = ['a', 'bc', '\n', '\r', '\r\n', 'é', 'x'.repeat(20_000), '\u20ac']
    for (let round = 0; round < 40; round++) {
      const text = Array.from({length: 30}, () => pieces[random(pieces.length)]).join('')
      const bytes = Buffer.from(text)
      const cuts = [...new Set(Array.from({length: random(6)}, () => random(bytes.length + 1)))].sort((x, y) => x - y)
      expect(logOf(bytes, cuts).toString(), `round ${round}, cuts ${cuts.join(',')}`).to.equal(expected(text))
    }
  })

  it('a handler\'s 40,000 redraws and a line of 1 MB leave a few lines in output.log (e2e)', async () => {
    const t = await tempProject('output-log')
    try {
      const script = `for i in $(seq 40000); do printf '\\rprogress %d' $i; done; echo; head -c 1048576 /dev/zero | tr '\\0' y; echo; echo last`
      const run = await t.project.run(undefined, {kind: 'exec', command: ['bash', '-c', script]})
      expect(run.state).to.equal('completed')
      const log = readFileSync(join(t.project.store.runDir(run.uid), 'output.log'), 'utf8')
      expect(log).to.equal(`progress 40000\n${'y'.repeat(LOG_LINE_BYTES)}${CUT}\nlast\n`)
    } finally {
      t.cleanup()
    }
  })
})
