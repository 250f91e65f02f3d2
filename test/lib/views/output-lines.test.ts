import {expect} from 'chai'
import {createLineSplitter, createOutputLines, MAX_LINE} from '../../../src/lib/views/output-lines.ts'

function split(chunks: string[]): string[] {
  const lines: string[] = []
  const s = createLineSplitter((_stream, line) => lines.push(line))
  for (const c of chunks) s.push('stdout', c)
  s.flush()
  return lines
}

describe('output lines', () => {
  it('splits lines across chunks, keeps empty lines and a last line without a newline', () => {
    expect(split(['a\nb', 'c\n\nd'])).to.deep.equal(['a', 'bc', '', 'd'])
  })

  it('shows what a terminal leaves of carriage-return redraws, also across chunks', () => {
    expect(split(['10%\r20', '%\r', '\r30%\n', 'x\r\n', 'ab', 'c\rde\n'])).to.deep.equal(['30%', 'x', 'de'])
  })

  it('collapses 100,000 redraws of one line to the last, in one chunk or one chunk each', () => {
    const redraws = Array.from({length: 100_000}, (_, i) => `\rprogress ${i}`)
    expect(split([redraws.join('') + '\n'])).to.deep.equal(['progress 99999'])
    expect(split([...redraws, '\n'])).to.deep.equal(['progress 99999'])
  })

  it('cuts a 64 MB line without a newline, and says where', () => {
    const piece = 'x'.repeat(1024 * 1024)
    const lines = split(Array.from({length: 64}, () => piece))
    expect(lines).to.have.length(1)
    expect(lines[0]).to.equal(`${'x'.repeat(MAX_LINE)}... [line cut at ${MAX_LINE} characters]`)
  })

  it('loses no line of 16 MB of short lines sent in odd-sized chunks', () => {
    const text = Array.from({length: 1_000_000}, (_, i) => `line ${i}`).join('\n') + '\n'
    const chunks: string[] = []
    for (let i = 0; i < text.length; i += 65_537) chunks.push(text.slice(i, i + 65_537))
    const lines = split(chunks)
    expect(lines).to.have.length(1_000_000)
    expect(lines[123_456]).to.equal('line 123456')
    expect(lines.at(-1)).to.equal('line 999999')
  })

  it('joins a UTF-8 character split over two byte chunks, and drops lone control characters in any line', () => {
    const bytes = Buffer.from('héllo\nwörld\u0007 \u0008x\nlast ü\n')
    const lines: string[] = []
    const s = createLineSplitter((_stream, line) => lines.push(line))
    // 'é' is bytes 1-2 and the last 'ü' the two before the final newline: both are cut in half
    const cuts = [0, 2, 9, bytes.length - 2, bytes.length]
    for (let i = 1; i < cuts.length; i++) s.push('stdout', bytes.subarray(cuts[i - 1], cuts[i]))
    s.flush()
    expect(lines).to.deep.equal(['héllo', 'wörld x', 'last ü'])
  })

  it('hands on whole lines a chunk at a time, saying whether they need escaping', () => {
    const got: [string, boolean][] = []
    const s = createOutputLines((_stream, text, safe) => got.push([text, safe]))
    s.push('stdout', 'a\nb\nc\nd')
    s.push('stdout', '\nplain \u009b31m\u202eevil\n')
    s.flush()
    expect(got).to.deep.equal([['a\nb\nc', true], ['d\nplain \u009b31m\u202eevil', false]])
  })
})
