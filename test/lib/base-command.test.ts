// The --json printer: every character a terminal could obey is a \u escape, and the JSON still parses to the same value.
import {expect} from 'chai'
import {jsonEnvelopeText} from '../../src/lib/base-command.ts'

describe('base-command: the --json envelope text', () => {
  it('escapes DEL, C1, bidi controls and line separators, keeping the exact value', () => {
    const risky = ['\u007f', '\u0080', '\u0085', '\u009b', '\u009f', '\u2028', '\u2029', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']
    const text = risky.join('x')
    const value = {ok: true, data: {[`k${text}`]: text, list: [text, 1, null], nested: {s: `a\u001b[2J\tb\n${text}`}, plain: 'é ü 日本 \u2027 \u206a'}}
    const out = jsonEnvelopeText(value)
    for (const c of risky) expect(out.includes(c), `raw ${JSON.stringify(c)}`).to.equal(false)
    expect(out).to.include('\\u009b').and.include('\\u202e').and.include('\\u2028').and.include('\\u007f')
    expect(JSON.parse(out)).to.deep.equal(value)
    expect(out).to.include('é ü 日本 \u2027 \u206a')
    expect(out.endsWith('}\n')).to.equal(true)
  })
})
