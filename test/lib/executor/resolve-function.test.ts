import {expect} from 'chai'
import {UserError} from '../../../src/lib/errors.ts'
import {splitCommandLine} from '../../../src/lib/executor/resolve-function.ts'

describe('executor/resolve-function: command lines from lode.yaml', () => {
  it('splits words like a shell, keeping quoted spaces and leaving $ and globs alone', () => {
    expect(splitCommandLine(`printf '[%s]' "a b" $HOME *.csv it\\'s`)).to.deep.equal(['printf', '[%s]', 'a b', '$HOME', '*.csv', "it's"])
    expect(splitCommandLine(`  make   train  `)).to.deep.equal(['make', 'train'])
    expect(splitCommandLine(`echo "" ''`)).to.deep.equal(['echo', '', ''])
    expect(splitCommandLine(`say "a \\"quoted\\" word"`)).to.deep.equal(['say', 'a "quoted" word'])
  })

  it('refuses an unclosed quote', () => {
    expect(() => splitCommandLine(`echo "oops`)).to.throw(UserError, /Unclosed "/)
  })
})
