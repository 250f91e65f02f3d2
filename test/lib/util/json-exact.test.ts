import {expect} from 'chai'
import {parseJsonExact} from '../../../src/lib/util/json-exact.ts'

describe('util: parseJsonExact', () => {
  it('keeps integers beyond 2^53 as the string of their digits, wherever they are', () => {
    const text = '{"a":18446744073709551616,"b":[-9223372036854775809,{"c":9007199254740993}],"d":"18446744073709551616"}'
    expect(JSON.parse(text).a).to.not.equal('18446744073709551616')
    expect(parseJsonExact(text)).to.deep.equal({
      a: '18446744073709551616', b: ['-9223372036854775809', {c: '9007199254740993'}], d: '18446744073709551616',
    })
  })

  it('leaves safe integers, floats and exponents as numbers', () => {
    const text = '{"max":9007199254740991,"min":-9007199254740991,"f":1234567890123456.5,"e":1e300,"big":12345678901234567e3,"ts":1764700000000}'
    expect(parseJsonExact(text)).to.deep.equal(JSON.parse(text))
    expect(parseJsonExact('[9007199254740991]')).to.deep.equal([9007199254740991])
  })

  it('fails like JSON.parse on malformed text', () => {
    expect(() => parseJsonExact('{"a":12345678901234567')).to.throw(SyntaxError)
    expect(() => parseJsonExact('{')).to.throw(SyntaxError)
  })
})
