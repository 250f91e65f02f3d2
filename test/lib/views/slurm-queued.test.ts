import {expect} from 'chai'
import type {RunEvent} from '../../../src/lib/types.ts'
import {formatRunEventLine} from '../../../src/lib/views/plain.ts'
import {initialRunModel, reduceRun} from '../../../src/lib/views/run-model.ts'
import {T0, UID} from './fixtures.ts'

describe('views: a run queued as a cluster job', () => {
  it('says the job id and why it waits, then that it runs; the model keeps the job', () => {
    const events: RunEvent[] = [
      {t: 'state', ts: T0, run: UID, state: 'queued'},
      {t: 'state', ts: T0, run: UID, state: 'queued', job: {runtime: 'slurm', id: '7'}},
      {t: 'state', ts: T0, run: UID, state: 'queued', job: {runtime: 'slurm', id: '7', reason: 'Priority'}},
      {t: 'state', ts: T0 + 1000, run: UID, state: 'running', job: {runtime: 'slurm', id: '7'}},
    ]
    let model = initialRunModel({function: 'train.ts', handler: null})
    const lines: string[] = []
    for (const e of events) {
      model = reduceRun(model, e)
      const line = formatRunEventLine(e, model, {color: false})
      if (line !== null) lines.push(line.slice(9))
    }
    expect(lines).to.deep.equal([
      `run ${UID.slice(0, 8)} queued slurm job 7`,
      `run ${UID.slice(0, 8)} queued slurm job 7 (Priority)`,
      `run ${UID.slice(0, 8)} running train.ts`,
    ])
    expect(model.state).to.equal('running')
    expect(model.started).to.equal(T0 + 1000)
    expect(model.job).to.deep.equal({runtime: 'slurm', id: '7'})
  })
})
