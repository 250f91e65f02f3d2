// createOutputLines keeps a partial line by copy: the caller may overwrite a chunk's bytes once push returns.
import {expect} from 'chai'
import {createOutputLines} from '../../../src/lib/views/output-lines.ts'

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
