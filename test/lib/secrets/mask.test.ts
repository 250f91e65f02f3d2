import {expect} from 'chai'
import {createMask} from '../../../src/lib/secrets/mask.ts'

describe('secret masking', () => {
  it('masks every value in text and in every string of an event, keys included', () => {
    const m = createMask(['s3cret', 'tok'])
    expect(m.text('a s3cret and tok')).to.equal('a *** and ***')
    expect(m.value({t: 'log', msg: 'x s3cret', fields: {s3cret: ['tok', 3]}})).to.deep.equal({t: 'log', msg: 'x ***', fields: {'***': ['***', 3]}})
  })

  it('masks a value that holds another one whole', () => {
    expect(createMask(['abc', 'xxabcxx']).text('-xxabcxx-')).to.equal('-***-')
  })

  it('masks a value split over chunks, holding back only a tail that could begin one', () => {
    const m = createMask(['hunter2'])
    const chunk = (stream: string, text: string) => Buffer.from(m.chunk(stream, Buffer.from(text))).toString()
    const out = [chunk('stdout', 'pw: hun'), chunk('stdout', 'ter'), chunk('stdout', '2 ok\nh'), chunk('stderr', 'other hunt'), Buffer.from(m.flush('stdout')).toString(), Buffer.from(m.flush('stderr')).toString()]
    expect(out).to.deep.equal(['pw: ', '', '*** ok\n', 'other ', 'h', 'hunt'])
  })

  it('masks a multi-line value line by line, and a value as JSON writes it', () => {
    const m = createMask(['-----BEGIN KEY-----\nAAAABBBBCCCC\n-----END KEY-----\n', 'a"b\\c'])
    expect(m.text('line AAAABBBBCCCC only')).to.equal('line *** only')
    expect(m.text(JSON.stringify({pw: 'a"b\\c'}))).to.equal('{"pw":"***"}')
  })

  it('passes everything through when there is no secret', () => {
    const m = createMask([''])
    const bytes = Buffer.from('h')
    expect(m.chunk('stdout', bytes)).to.equal(bytes)
    expect(m.flush('stdout')).to.have.length(0)
  })
})
