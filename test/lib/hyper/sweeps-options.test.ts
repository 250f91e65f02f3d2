// A sweep's options, iterations and best, without running anything.
import {expect} from 'chai'
import {iterationsOf} from '../../../src/lib/hyper/generate.ts'
import {hyperOptions, parseSelector, stopExpression} from '../../../src/lib/hyper/options.ts'
import {bestIteration, stopsAt} from '../../../src/lib/hyper/select.ts'
import type {IterationSummary} from '../../../src/lib/types.ts'

const iteration = (iter: number, results: Record<string, number>, state: IterationSummary['state'] = 'completed'): IterationSummary =>
  ({iter, uid: `u${iter}`, state, params: {}, results, durationMs: 1})

describe('sweeps: options, strategies and selection', () => {
  it('grid varies the last param fastest; list zips; random repeats with its seed', () => {
    expect(iterationsOf({strategy: 'grid', params: {a: [1, 2], b: ['x', 'y']}, maxIterations: null, seed: null}))
      .to.deep.equal([{a: 1, b: 'x'}, {a: 1, b: 'y'}, {a: 2, b: 'x'}, {a: 2, b: 'y'}])
    expect(iterationsOf({strategy: 'list', params: {a: [1, 2], b: ['x', 'y']}, maxIterations: null, seed: null})).to.deep.equal([{a: 1, b: 'x'}, {a: 2, b: 'y'}])
    const random = (seed: number) => iterationsOf({strategy: 'random', params: {a: [1, 2, 3, 4, 5], b: [1, 2, 3, 4, 5]}, maxIterations: 6, seed})
    expect(random(3)).to.deep.equal(random(3))
    expect(random(3)).to.not.deep.equal(random(4))
    expect(random(3)).to.have.length(6)
  })

  it('checks every option before anything runs', () => {
    const o = hyperOptions({hyperparamFlags: ['a=[1,2]'], strategy: 'random', seed: '7', maxIterations: '3', selector: 'min.loss', parallel: '2', maxErrors: '0'}, {})
    expect(o).to.include({strategy: 'random', seed: 7, maxIterations: 3, parallel: 2, maxErrors: 0})
    expect(o.selector).to.deep.equal({op: 'min', key: 'loss'})
    expect(hyperOptions({hyperparamFlags: ['a=[1,2]']}, {}).seed).to.equal(null)
    const refused = (r: Parameters<typeof hyperOptions>[0], text: string) => expect(() => hyperOptions(r, {})).to.throw(text)
    refused({hyperparamFlags: ['a=[1,2]'], seed: '7'}, '--seed applies to --strategy random only')
    refused({hyperparamFlags: ['a=[1,2]'], parallel: '0'}, '--parallel takes a whole number of 1 or more')
    refused({hyperparamFlags: ['a=[1,2]'], maxErrors: '-1'}, '--max-errors takes a whole number of 0 or more')
    refused({hyperparamFlags: ['a=[]']}, 'needs a non-empty list')
    refused({hyperparamFlags: ['a=[1e999]']}, '')
    refused({hyperparamFlags: ['__proto__=[1]']}, '')
    refused({hyperparamFlags: ['a=[1]', 'a=[2,3]']}, 'Hyperparam "a" is given twice')
    refused({hyperparamFlags: ['a=[1,2]'], strategy: 'bayes'}, 'Unknown strategy "bayes"')
    // a name both in -p and --hyperparam is refused; one an object has of its own (constructor) is a name like any other
    expect(() => hyperOptions({hyperparamFlags: ['a=[1,2]']}, {a: 3})).to.throw('Param "a" given both as a param and as a hyperparam')
    expect(hyperOptions({hyperparamFlags: ['constructor=[1,2]', 'toString=["a"]']}, {valueOf: 1}).params).to.deep.equal({constructor: [1, 2], toString: ['a']})
    expect(() => parseSelector('max.')).to.throw('Malformed --selector')
    expect(parseSelector('accuracy')).to.deep.equal({op: 'max', key: 'accuracy'})
  })

  it('picks the best by max. or min. among completed iterations, the first on a tie', () => {
    const its = [iteration(1, {acc: 0.5}), iteration(2, {acc: 0.9}), iteration(3, {acc: 0.9}), iteration(4, {acc: 0.99}, 'error'), iteration(5, {loss: 1})]
    expect(bestIteration(its, {op: 'max', key: 'acc'})).to.include({iter: 2, value: 0.9, why: 'max.acc = 0.9'})
    expect(bestIteration(its, {op: 'min', key: 'acc'})).to.include({iter: 1, value: 0.5})
    expect(bestIteration(its, {op: 'max', key: 'nope'})).to.equal(null)
    expect(bestIteration(its, null)).to.equal(null)
    // a dotted name: a result of that name, else a path into a nested result, as --stop-condition reads it
    const nested = [{...iteration(1, {}), results: {metrics: {auc: 0.7}}}, {...iteration(2, {}), results: {metrics: {auc: 0.8}}}, iteration(3, {'metrics.auc': 0.75})]
    expect(bestIteration(nested, {op: 'max', key: 'metrics.auc'})).to.include({iter: 2, value: 0.8})
    expect(bestIteration(nested, {op: 'min', key: 'metrics.auc'})).to.include({iter: 1, value: 0.7})
    expect(stopsAt(stopExpression('metrics.auc > 0.75', []), nested[1]!)).to.equal(true)
  })

  it('reads a stop condition with bare result and hyperparam names, never as code', () => {
    const cond = stopExpression('acc >= 0.9 and lr < 0.5', ['lr'])
    expect(stopsAt(cond, {...iteration(1, {acc: 0.95}), params: {lr: 0.1}})).to.equal(true)
    expect(stopsAt(cond, {...iteration(1, {acc: 0.95}), params: {lr: 0.7}})).to.equal(false)
    expect(stopsAt(cond, {...iteration(1, {acc: 0.95}, 'error'), params: {lr: 0.1}})).to.equal(false)
    expect(stopsAt(stopExpression('results.acc > 0.5', []), iteration(1, {acc: 0.6}))).to.equal(true)
    expect(() => stopExpression('acc >= ', [])).to.throw('--stop-condition')
    expect(() => stopExpression('process.exit(1)', [])).to.throw('--stop-condition')
    expect(() => stopExpression('('.repeat(40) + 'acc > 1' + ')'.repeat(40), [])).to.throw('--stop-condition')
    expect(() => stopExpression(`acc > ${'1'.repeat(3000)}`, [])).to.throw('--stop-condition')
  })
})
