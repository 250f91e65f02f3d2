// `--events ndjson` output events made from the lines' bytes are the JSON that JSON.stringify makes of each event,
// whatever the lines hold (quotes, backslashes, non-ASCII, bytes that are not UTF-8, escapes), and in order.
import {expect} from 'chai'
import {PassThrough} from 'node:stream'
import {createRunReporter} from '../../../src/lib/views/reporter.ts'

function sink(): PassThrough & {text: () => string} {
  const stream = new PassThrough() as PassThrough & {text: () => string}
  const chunks: Buffer[] = []
  stream.on('data', (chunk: Buffer) => chunks.push(chunk))
  stream.text = () => Buffer.concat(chunks).toString('utf8')
  return stream
}

describe('ndjson output events from bytes', () => {
  it('are what JSON.stringify makes of each line, for plain lines and for lines that need escaping', async () => {
    const plain = Array.from({length: 300}, (_, i) => `line ${i} of plain text`)
    const odd = ['say "hi"', 'back\\slash', 'héllo wörld', 'euro €', 'bell \u0007 here', '\u001B[31mred\u001B[0m', 'tab\tin']
    const stdout = sink()
    const stderr = sink()
    const reporter = await createRunReporter({stream: stderr, stdout, events: 'ndjson', interactive: false, env: {NO_COLOR: '1'}})
    // a tab among plain lines: plain for the terminal, but a JSON string must escape it
    const tabbed = ['before', 'a\tb', 'after']
    const chunks = [plain.slice(0, 100), [...plain.slice(100, 150), ...odd], plain.slice(150), tabbed, [Buffer.from([0x61, 0xff, 0x62]).toString('latin1')]]
    const want: string[] = []
    for (const group of chunks) {
      const bytes = group === chunks[4] ? Buffer.concat([Buffer.from([0x61, 0xff, 0x62]), Buffer.from('\n')]) : Buffer.from(`${group.join('\n')}\n`)
      reporter.onOutput('stdout', bytes)
      want.push(...(group === chunks[4] ? ['a\ufffdb'] : group))
    }
    const events = stdout.text().split('\n').filter(Boolean)
    const output = events.map((l) => JSON.parse(l) as {t: string; line: string; ts: number; run: string; stream: string})
    const lines = output.filter((e) => e.t === 'output').map((e) => e.line)
    expect(lines).to.deep.equal(want.map((l) => l.replace(/\u001B\[[0-9;]*m/g, '').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '')))
    for (const [i, e] of output.entries()) expect(events[i]).to.equal(JSON.stringify({t: e.t, ts: e.ts, run: e.run, stream: e.stream, line: e.line}))
    // the plain lines on stderr show the same lines
    expect(stderr.text().split('\n').filter((l) => / out {3}/.test(l))).to.have.length(want.length)
  })
})
