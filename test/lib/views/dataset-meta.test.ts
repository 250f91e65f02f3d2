import {expect} from 'chai'
import type {DatasetMeta} from '../../../src/lib/types.ts'
import {formatDatasetMeta, sparkline} from '../../../src/lib/views/dataset-meta.ts'
import {ESCAPE} from './fixtures.ts'

function meta(): DatasetMeta {
  const counts = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0, 8, 16]
  return {
    schema: [{name: 'age', dtype: 'Float64'}, {name: 'city', dtype: 'String'}, {name: 'extra', dtype: 'Int64'}],
    rows: 150,
    stats: [
      {name: 'age', dtype: 'Float64', count: 148, nulls: 2, min: 0.5, max: 99.25, mean: 41.123456, std: 12.5,
        histogram: {edges: Array.from({length: 21}, (_, i) => i * 5), counts}},
      {name: 'city', dtype: 'String', count: 150, nulls: 0, min: 'Aachen', max: 'Zwickau', distinct: 12},
    ],
    preview: null,
  }
}

describe('views/dataset-meta', () => {
  it('draws counts as a sparkline scaled to the largest bin, empty bins blank', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7, 8])).to.equal(' ▁▂▃▄▅▆▇█')
    expect(sparkline([5, 5])).to.equal('██')
    expect(sparkline([1, 1000])).to.equal('▁█')
    expect(sparkline([0, 0, 0])).to.equal('   ')
    expect([...sparkline(meta().stats![0]!.histogram!.counts)]).to.have.length(20)
  })

  it('lists each column with dtype, count, nulls, min, max, mean, std and the histogram', () => {
    const text = formatDatasetMeta(meta(), {color: false, summary: true})
    expect(text).not.to.match(ESCAPE)
    const lines = text.split('\n')
    expect(lines[0]).to.equal('rows 150  columns 3')
    expect(formatDatasetMeta(meta()).split('\n')[0]).to.equal(lines[1])
    expect(lines[1]).to.match(/^COLUMN\s+DTYPE\s+COUNT\s+NULLS\s+MIN\s+MAX\s+MEAN\s+STD\s+HISTOGRAM$/)
    expect(lines[2]).to.match(/^age\s+Float64\s+148\s+2\s+0\.5\s+99\.25\s+41\.12\s+12\.5\s+ ▁▁▂▂▃▃▄▄▅▅▆▆▇▇██ ▄█$/)
    expect(lines[3]).to.match(/^city\s+String\s+150\s+0\s+Aachen\s+Zwickau\s+12 distinct$/)
    expect(lines[4]).to.match(/^extra\s+Int64$/)
    // the histogram starts in the HISTOGRAM column
    expect(lines[2]!.indexOf(' ▁')).to.equal(lines[1]!.indexOf('HISTOGRAM'))
  })

  it('colours only when asked, and says when no statistics exist', () => {
    expect(formatDatasetMeta(meta(), {color: true})).to.match(ESCAPE)
    const text = formatDatasetMeta({...meta(), stats: null}, {color: false})
    expect(text).to.include('no statistics were computed')
  })

  it('says which statistics of a large frame come from a sample', () => {
    expect(formatDatasetMeta(meta())).not.to.include('sample')
    const m = meta()
    m.rows = 1_000_000
    m.stats![0]!.sampledRows = 100_000
    expect(formatDatasetMeta(m).split('\n').at(-1)).to.equal('histograms and quantiles from 100000 evenly spaced rows; the other statistics from all 1000000')
  })
})
