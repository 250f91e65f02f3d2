import {expect} from 'chai'
import {evaluate} from '../../../src/lib/query/evaluate.ts'
import {parseRunSelection} from '../../../src/lib/runs/selection.ts'
import {MAX_DEPTH, MAX_LENGTH, parseExpression, parseField} from '../../../src/lib/query/parse.ts'
import {QueryError} from '../../../src/lib/query/error.ts'

function fails(text: string): QueryError {
  try {
    parseExpression(text, {source: '--where'})
  } catch (error) {
    expect(error).to.be.instanceOf(QueryError)
    expect((error as QueryError).exitCode).to.equal(2)
    return error as QueryError
  }
  throw new Error(`parsed: ${text}`)
}

const run = {results: {accuracy: 0.93, loss: 0.2, ok: true}, params: {model: 'tree', lr: 0.1}, labels: {team: 'ml'}, state: 'completed' as const, name: 'train', started: 1000, ended: 61_000}

describe('query: the expression grammar (issue 13)', () => {
  it('parses comparisons, and/or/not and parentheses with the usual precedence', () => {
    const e = parseExpression('results.accuracy > 0.9 and params.model == "tree" or not (labels.team != \'ml\')')
    expect(e.kind).to.equal('or')
    expect(evaluate(e, run)).to.equal(true)
    expect(evaluate(parseExpression('results.accuracy > 0.95 or params.model == "forest"'), run)).to.equal(false)
    expect(evaluate(parseExpression('not results.accuracy >= 0.95 and (state == "completed")'), run)).to.equal(true)
    expect(evaluate(parseExpression('results.ok == true and results.missing == null and params.lr != null'), run)).to.equal(true)
    expect(evaluate(parseExpression('duration >= 1m and duration < 61s'), run)).to.equal(true)
    expect(evaluate(parseExpression('0.5 < results.accuracy'), run)).to.equal(true)
    expect(evaluate(parseExpression('results.missing > 1'), run)).to.equal(false)
    expect(evaluate(parseExpression('NOT results.missing > 1'), run)).to.equal(true)
    for (const inherited of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(evaluate(parseExpression(`results.${inherited} != null`), run), inherited).to.equal(false)
  })

  it('reads a date compared with a time field', () => {
    const e = parseExpression('created >= "2026-12-01"')
    expect(e).to.deep.include({kind: 'compare'})
    expect((e as {right: {value: number}}).right.value).to.equal(Date.parse('2026-12-01'))
    expect(fails('created > "yesterday"').message).to.match(/"yesterday" is not a date/)
  })

  it('points at the column and says what was expected', () => {
    const e = fails('results.accuracy > and x')
    expect(e.message).to.match(/expected a value after ">", found "and" \(column 20\)/)
    expect(e.message).to.include('\n  results.accuracy > and x\n                     ^')
    expect(fails('results.accuracy = 1').message).to.match(/"==".*column 18/)
    expect(fails('(state == "error"').message).to.match(/expected "\)" to close the "\(" at column 1, found the end/)
    expect(fails('state == "error")').message).to.match(/closes nothing \(column 17\)/)
    expect(fails('state == "error').message).to.match(/not closed.*column 10/)
    expect(fails('results').message).to.match(/"results" needs a key/)
    expect(fails('secret.x == 1').message).to.match(/unknown field "secret.x"/)
    expect(fails('1 == 2').message).to.match(/expected a field on one side/)
    expect(fails('results.a > null').message).to.match(/null can only be compared with == or !=/)
    expect(fails('results.a == 3parsecs').message).to.match(/unknown unit/)
    expect(fails('results.a == 1; drop table runs').message).to.match(/unexpected character ";"/)
    expect(fails('').message).to.match(/empty/)
    expect(fails('state').message).to.match(/expected a comparison .* found the end/)
  })

  it('refuses hostile expressions: too long, too deep', () => {
    expect(fails('('.repeat(MAX_DEPTH + 1) + 'state == "x"' + ')'.repeat(MAX_DEPTH + 1)).message).to.match(/nested more than 32 deep/)
    expect(fails('not '.repeat(200) + 'state == "x"').message).to.match(/nested more than/)
    expect(fails('state == "x" or '.repeat(200) + 'state == "y"').message).to.match(new RegExp(`at most ${MAX_LENGTH}`))
    // many flat terms within the length limit parse without deep recursion
    expect(parseExpression(Array.from({length: 90}, (_, i) => `results.a == ${i}`).join(' or ')).kind).to.equal('or')
  })

  it('parses a field alone for --sort and --columns', () => {
    expect(parseField('results.accuracy', '--sort')).to.deep.equal({kind: 'json', map: 'results', path: ['accuracy']})
    expect(parseField('created', '--sort')).to.deep.equal({kind: 'column', name: 'created'})
    expect(() => parseField('results.a b', '--sort')).to.throw(QueryError, /expected one field/)
    expect(() => parseField('colour', '--columns')).to.throw(QueryError, /unknown field "colour"/)
    // a comma inside a quoted key does not split --columns
    expect(parseRunSelection({columns: 'results."x,y", state'}).columns).to.deep.equal([{kind: 'json', map: 'results', path: ['x,y']}, {kind: 'column', name: 'state'}])
    // the hint speaks of a field, not of an expression comparing values
    for (const text of ['', 'colour', 'results.a b']) expect(() => parseField(text, '--sort')).to.throw(QueryError).with.property('hint').that.matches(/^--sort takes one field/)
  })
})
