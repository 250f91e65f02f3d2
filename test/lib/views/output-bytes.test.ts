import {expect} from 'chai'
import {hasControlBytes, replaceNewlines} from '../../../src/lib/views/output-bytes.ts'
import {palette} from '../../../src/lib/views/color.ts'
import {createOutputLines, isPlainText} from '../../../src/lib/views/output-lines.ts'
import {formatOutputBytes, formatOutputLines} from '../../../src/lib/views/plain.ts'
import {createRunReporter} from '../../../src/lib/views/reporter.ts'
import {Writable} from 'node:stream'

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

  it('puts a lead in place of every newline, byte for byte, whatever the lead and wherever the text is cut', () => {
    const texts = ['', '\n', 'a\nb', '\n\n\n', `${'x'.repeat(40)}\n${'y'.repeat(17)}\n`, 'é\nü日\n'.repeat(500), 'a line of output\n'.repeat(5000)]
    const leads = ['\n', '', '\n12:03:04 out   ', '\u001B[39m\n\u001B[2m12:03:04\u001B[22m \u001B[33merr   ', `${'L'.repeat(100)}\n`]
    const wrong: string[] = []
    for (const text of texts) {
      const bytes = Buffer.from(text)
      for (const cut of [0, 1, 7, 33]) {
        const parts = [bytes.subarray(0, cut), bytes.subarray(Math.min(cut, bytes.length))]
        for (const lead of leads) {
          const want = Buffer.from(`<${text.split('\n').join(lead)}>`)
          for (const portable of [false, true]) {
            const got = replaceNewlines(parts, Buffer.from(lead), {before: Buffer.from('<'), after: Buffer.from('>'), portable})
            if (!got?.equals(want)) wrong.push(`${JSON.stringify(text.slice(0, 20))} cut at ${cut}, lead ${JSON.stringify(lead)}${portable ? ' (portable)' : ''}`)
          }
        }
      }
    }
    expect(wrong).to.deep.equal([])
  })

  it('answers no lines at all for text that is not plain, wherever the byte a terminal would obey is', () => {
    const wrong: string[] = []
    for (const evil of ['\u0007', '\u001B[2J', '\r', '\u007F', '\u009b', '\u202e', '\u2028', '\u00a9']) {
      for (const length of [0, 15, 16, 17, 61, 70_001]) {
        for (const at of [0, length >> 1, length]) {
          const text = Buffer.from(`${'a line\n'.repeat(length >> 3).padEnd(length, 'x').slice(0, at)}${evil}${'y\n'.repeat(4)}`)
          for (const portable of [false, true]) {
            if (replaceNewlines([text.subarray(0, 5), text.subarray(5)], Buffer.from('\nL '), {portable}) !== null) wrong.push(`${JSON.stringify(evil)} at ${at} of ${length}${portable ? ' (portable)' : ''}`)
          }
        }
      }
    }
    expect(wrong).to.deep.equal([])
    expect(replaceNewlines([Buffer.from('déjà vu, 日本語\n')], Buffer.from('\nL '))?.toString()).to.equal('déjà vu, 日本語\nL ')
  })

  it('escapes through the reporter what the one pass over plain lines turns down, in order with the plain lines', async () => {
    let written = ''
    const stream = new Writable({write(chunk: Buffer, _encoding, done) {
      written += chunk.toString()
      done()
    }})
    const reporter = await createRunReporter({stream, env: {CI: '1'}})
    reporter.onOutput('stdout', Buffer.from('one\ntwo\nthree\n'))
    reporter.onOutput('stdout', Buffer.from('four\nbell\u0007 \u001B[31mred\u001B[0m\nsix\n'))
    reporter.onOutput('stdout', Buffer.from('seven\n\u202eevil\nnine\n'))
    reporter.onOutput('stdout', Buffer.from('ten\n© eleven\ntwelve\n'))
    const lines = written.trimEnd().split('\n').map((line) => line.replace(/^\d\d:\d\d:\d\d out   /, ''))
    expect(lines).to.deep.equal(['one', 'two', 'three', 'four', 'bell red', 'six', 'seven', '\\u202eevil', 'nine', 'ten', '© eleven', 'twelve'])
  })

  it('formats plain lines from their bytes exactly as from their text, coloured or not', () => {
    const text = 'first\n\tsecond, déjà\n\nlast'
    for (const color of [false, true]) {
      for (const stream of ['stdout', 'stderr'] as const) {
        const options = {color: palette(color)}
        const bytes = formatOutputBytes(stream, 0, [Buffer.from(text)], options)
        expect(bytes?.toString()).to.equal(`${formatOutputLines(stream, 0, text, true, options)}\n`)
      }
    }
  })

  it('prints 100,000 plain lines through the reporter, each once, in order, with its lead', async () => {
    let written = ''
    const stream = new Writable({write(chunk: Buffer, _encoding, done) {
      written += chunk.toString()
      done()
    }})
    const reporter = await createRunReporter({stream, env: {CI: '1'}})
    const text = Array.from({length: 100_000}, (_, i) => `line ${i}`).join('\n') + '\n'
    const bytes = Buffer.from(text)
    for (let i = 0; i < bytes.length; i += 65_536) reporter.onOutput('stdout', bytes.subarray(i, i + 65_536))
    const lines = written.trimEnd().split('\n')
    expect(lines).to.have.length(100_000)
    expect(lines.every((line, i) => line.replace(/^\d\d:\d\d:\d\d out   /, '') === `line ${i}`)).to.equal(true)
  })
})
