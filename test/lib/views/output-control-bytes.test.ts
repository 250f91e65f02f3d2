import {expect} from 'chai'
import {hasControlBytes} from '../../../src/lib/views/control-bytes.ts'
import {createOutputLines, isPlainText} from '../../../src/lib/views/output-lines.ts'

describe('output: control bytes found without decoding', () => {
  it('finds every C0 control but tab and newline, and DEL, at any place in a chunk of any length', () => {
    const wrong: string[] = []
    for (let byte = 0; byte < 256; byte++) {
      const control = (byte < 0x20 && byte !== 9 && byte !== 10) || byte === 0x7f
      for (const length of [1, 15, 16, 17, 64, 70_001]) {
        for (const at of [0, length >> 1, length - 1]) {
          const bytes = Buffer.alloc(length, 'a')
          bytes[at] = byte
          for (const portable of [false, true]) {
            if (hasControlBytes(bytes, {portable}) !== control) wrong.push(`byte ${byte} at ${at} of ${length}${portable ? ' (portable)' : ''}`)
          }
        }
      }
    }
    expect(wrong).to.deep.equal([])
  })

  it('looks only at the bytes given, not at what an earlier, longer chunk left behind', () => {
    expect(hasControlBytes(Buffer.from(`${'a'.repeat(100)}\u001B[31m`))).to.equal(true)
    expect(hasControlBytes(Buffer.from('plain'))).to.equal(false)
    expect(hasControlBytes(Buffer.alloc(0))).to.equal(false)
  })

  it('calls text plain only when no C1 control, bidi control or line separator can hide in it', () => {
    expect(isPlainText(Buffer.from('tab\tand\nnewline'))).to.equal(true)
    expect(isPlainText(Buffer.from('déjà vu, 日本語'))).to.equal(true)
    for (const evil of ['\u009b31m', '\u202eevil', '\u2066x', '\u2028', 'bell\u0007', 'esc\u001B[2J', 'cr\r']) {
      expect(isPlainText(Buffer.from(`ok ${evil} ok`)), JSON.stringify(evil)).to.equal(false)
    }
  })

  it('hands on the middle lines of a chunk unchanged when plain, and escapes or drops what is not', () => {
    const got: [string, boolean][] = []
    const lines = createOutputLines((_stream, text, safe) => got.push([text, safe]))
    lines.push('stdout', Buffer.from('x\u001B[31m\nplain line\nlast'))
    lines.push('stdout', Buffer.from(' one\nmid\u0007dle\nred \u001B[31mtext\u001B[0m\nend'))
    lines.push('stdout', Buffer.from('\nsafe\n\u202eevil\n'))
    lines.flush()
    expect(got).to.deep.equal([
      ['x\nplain line', true],
      ['last one\nmiddle\nred text', true],
      ['end\nsafe\n\u202eevil', false],
    ])
  })
})
