import {expect} from 'chai'
import {applyRunRecord, initialRunModel, reduceRun, runModelFromRecord} from '../../../src/lib/views/run-model.ts'
import {artifactVersion, completedRunEvents, runRecord, T0, UID} from './fixtures.ts'

describe('views/run-model', () => {
  it('builds the view model of a run from its events', () => {
    const model = completedRunEvents().reduce(reduceRun, initialRunModel({function: 'train.ts', handler: 'train'}))
    expect(model.uid).to.equal(UID)
    expect(model.state).to.equal('completed')
    expect(model.started).to.equal(T0)
    expect(model.ended).to.equal(T0 + 3200)
    expect(model.progress).to.deep.equal({fraction: 1, message: 'training'})
    expect(model.results).to.deep.equal([{key: 'accuracy', value: 0.97}])
    expect(model.artifacts).to.deep.equal([
      {key: 'model', kind: 'model', pending: false, size: 1_234_567, uri: `store://models/demo/model#0@${UID}`, iter: 0},
    ])
    expect(model.logs.map((line) => line.text)).to.deep.equal(['loaded rows=100', 'epoch 1 done'])
    expect(model.logCount).to.equal(2)
  })

  it('keeps results in the order first logged and updates a repeated key in place', () => {
    let model = initialRunModel()
    for (const [key, value] of [['a', 1], ['b', 2], ['a', 3]] as const) {
      model = reduceRun(model, {t: 'result', ts: T0, run: UID, key, value})
    }
    expect(model.results).to.deep.equal([{key: 'a', value: 3}, {key: 'b', value: 2}])
  })

  it('shows a staged artifact as pending until it is ingested', () => {
    let model = reduceRun(initialRunModel(), {t: 'artifact', ts: T0, run: UID, key: 'data', kind: 'dataset', path: '/x.csv'})
    expect(model.artifacts[0]).to.include({key: 'data', pending: true, size: null})
    model = reduceRun(model, {t: 'ingested', ts: T0, run: UID, artifact: artifactVersion({key: 'data', kind: 'dataset', size: 10})})
    expect(model.artifacts).to.have.length(1)
    expect(model.artifacts[0]).to.include({key: 'data', pending: false, size: 10})
  })

  it('keeps only the last lines of the log', () => {
    let model = initialRunModel({logLimit: 3})
    for (let i = 0; i < 10; i++) model = reduceRun(model, {t: 'output', ts: T0 + i, run: UID, stream: 'stderr', line: `line ${i}`})
    expect(model.logs.map((line) => line.text)).to.deep.equal(['line 7', 'line 8', 'line 9'])
    expect(model.logCount).to.equal(10)
  })

  it('records the error of a failed run', () => {
    let model = reduceRun(initialRunModel(), {t: 'state', ts: T0, run: UID, state: 'running'})
    model = reduceRun(model, {t: 'error', ts: T0 + 5, run: UID, message: 'boom', stack: 'Error: boom\n    at x'})
    model = reduceRun(model, {t: 'state', ts: T0 + 10, run: UID, state: 'error', error: {message: 'boom', exitCode: 1}})
    expect(model.state).to.equal('error')
    expect(model.error).to.deep.equal({message: 'boom', exitCode: 1})
    expect(model.ended).to.equal(T0 + 10)
  })

  it('fills gaps from the final run record', () => {
    const model = applyRunRecord(initialRunModel(), runRecord({results: {accuracy: 0.9, loss: 0.1}}))
    expect(model.function).to.equal('train.ts')
    expect(model.results.map((entry) => entry.key)).to.deep.equal(['accuracy', 'loss'])
    expect(runModelFromRecord(runRecord(), [artifactVersion()]).artifacts).to.have.length(1)
  })
})

describe('run model: the cost of an event', () => {
  it('appends and settles 100,000 artifacts in place, without copying what came before', () => {
    let model = initialRunModel()
    const artifacts = model.artifacts
    const results = model.results
    for (let i = 0; i < 100_000; i++) model = reduceRun(model, {t: 'artifact', ts: T0, run: UID, key: `a${i}`, kind: 'artifact', path: `/s/${i}`})
    for (let i = 0; i < 100_000; i++) model = reduceRun(model, {t: 'ingested', ts: T0, run: UID, artifact: artifactVersion({key: `a${i}`, kind: 'artifact', size: i})})
    for (let i = 0; i < 1000; i++) model = reduceRun(model, {t: 'result', ts: T0, run: UID, key: `r${i % 10}`, value: i})
    expect(model.artifacts).to.equal(artifacts)
    expect(model.results).to.equal(results)
    expect(model.artifacts).to.have.length(100_000)
    expect(model.artifacts.every((a, i) => !a.pending && a.key === `a${i}` && a.size === i)).to.equal(true)
    expect(model.results.map((r) => r.value)).to.deep.equal([990, 991, 992, 993, 994, 995, 996, 997, 998, 999])
  })
})
