// output.log's lines from chunks longer than a line may be (a socket read takes up to 256 KiB): a line over the limit
// anywhere in such a chunk is still cut and marked, and every other line is kept as it came.
import {expect} from 'chai'
import {LOG_LINE_BYTES, LogLines} from '../../../src/lib/executor/output-log.ts'

const CUT = `... [line cut at ${LOG_LINE_BYTES} bytes]`

function logOf(text: string, size: number): string {
  const out: Buffer[] = []
  const lines = new LogLines((parts) => out.push(...parts.map((p) => Buffer.from(p))))
  const bytes = Buffer.from(text)
  const reused = Buffer.alloc(size)
  for (let at = 0; at < bytes.length; at += size) {
    const n = bytes.copy(reused, 0, at, at + size)
    lines.push(reused.subarray(0, n))
    reused.fill(0x21)
  }
  lines.flush()
  return Buffer.concat(out).toString('latin1')
}

/** ASCII lines, each cut at LOG_LINE_BYTES and marked. */
function expected(text: string): string {
  return text.split('\n').map((l) => (l.length > LOG_LINE_BYTES ? l.slice(0, LOG_LINE_BYTES) + CUT : l)).join('\n')
}

describe('output.log from large chunks', () => {
  const line = (n: number, c: string) => c.repeat(n)
  const cases: Record<string, string> = {
    'short lines': Array.from({length: 20_000}, (_, i) => `line ${i} ${'.'.repeat(i % 70)}`).join('\n') + '\n',
    'a long line between short ones': `a\nb\n${line(LOG_LINE_BYTES + 10, 'x')}\nc\n${line(100, 'y')}\n`,
    'lines at the limit and one past it': `s\n${line(LOG_LINE_BYTES, 'x')}\n${line(LOG_LINE_BYTES + 1, 'z')}\n${line(LOG_LINE_BYTES - 1, 'w')}\nend\n`,
    'two newlines just under a line apart, windows straddled': `p\n${line(LOG_LINE_BYTES / 2 + 3, 'q')}\n${line(LOG_LINE_BYTES + 5, 'r')}\nt\n`,
    'a long tail with no newline': `head\n${line(LOG_LINE_BYTES * 2, 'u')}`,
  }
  for (const [name, text] of Object.entries(cases)) {
    it(`${name}: the same log from 256 KiB chunks as line by line`, () => {
      for (const size of [256 * 1024, 200_000, 100_003]) expect(logOf(text, size), `chunks of ${size}`).to.equal(expected(text))
    })
  }
})
