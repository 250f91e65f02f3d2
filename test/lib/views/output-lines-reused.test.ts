// createOutputLines keeps a partial line by copy: the caller may overwrite a chunk's bytes once push returns.
import {expect} from 'chai'
import {createOutputLines, MAX_LINE} from '../../../src/lib/views/output-lines.ts'

describe('output lines from one reused buffer', () => {
  it('keeps partial lines, redraws and split characters whole though each chunk is overwritten by the next', () => {
    const text = `first half / second half\n\rprogress 1%\rprogress 99%\nhé€llo 日本\nlast without newline`
    const bytes = Buffer.from(text)
    const shown: string[] = []
    const lines = createOutputLines((_stream, t) => shown.push(...t.split('\n')))
    const reused = Buffer.alloc(5)
    for (let at = 0; at < bytes.length; at += 5) {
      const n = bytes.copy(reused, 0, at, at + 5)
      lines.push('stdout', reused.subarray(0, n))
      reused.fill(0x21) // what the next read would leave there
    }
    lines.flush()
    expect(shown).to.deep.equal(['first half / second half', 'progress 99%', 'hé€llo 日本', 'last without newline'])
  })
})

describe('output lines from chunks larger than a line may be', () => {
  it('cuts a line over the limit in the middle of one chunk, and keeps the lines around it', () => {
    const long = 'y'.repeat(MAX_LINE + 500)
    const text = `first\n${long}\nafter\n${'z'.repeat(MAX_LINE - 1)}\nlast\n`
    for (const onPlainBytes of [undefined, () => true]) {
      const shown: string[] = []
      const lines = createOutputLines((_stream, t) => shown.push(...t.split('\n')), onPlainBytes ? {onPlainBytes: (_s, parts) => {
        shown.push(...Buffer.concat(parts).toString('utf8').split('\n'))
        return true
      }} : {})
      lines.push('stdout', Buffer.from(text))
      lines.flush()
      expect(shown).to.deep.equal(['first', `${'y'.repeat(MAX_LINE)}... [line cut at ${MAX_LINE} characters]`, 'after', 'z'.repeat(MAX_LINE - 1), 'last'])
    }
  })
})
