import {expect} from 'chai'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import pl from 'nodejs-polars'
import {describeFile, describeFrame, describeFrameAsync} from '../../../src/lib/artifacts/dataset.ts'
import {EXACT_STATS_ROWS, HISTOGRAM_BINS, SAMPLE_ROWS} from '../../../src/lib/artifacts/dataset-stats.ts'
import {writeFrame} from '../../../src/lib/artifacts/formats.ts'
import type {ColumnStats, DatasetMeta} from '../../../src/lib/types.ts'

function column(meta: DatasetMeta, name: string): ColumnStats {
  const stats = meta.stats?.find((s) => s.name === name)
  if (!stats) throw new Error(`no stats for ${name}`)
  return stats
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

describe('artifacts/dataset', () => {
  let dir: string
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lode-dataset-'))))
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('gives schema, row count and numeric statistics computed by hand', () => {
    // x: 1, 2, 4, null, 8 -> count 4, mean 3.75, sample std sqrt(((2.75^2)+(1.75^2)+(0.25^2)+(4.25^2))/3)
    const df = pl.DataFrame({x: [1, 2, 4, null, 8]}).withColumns(pl.col('x').cast(pl.Int64))
    const meta = describeFrame(df)
    expect(meta.rows).to.equal(5)
    expect(meta.schema).to.deep.equal([{name: 'x', dtype: 'Int64'}])
    const x = column(meta, 'x')
    expect(x).to.include({name: 'x', dtype: 'Int64', count: 4, nulls: 1, min: 1, max: 8, mean: 3.75})
    expect(x.std).to.be.closeTo(Math.sqrt((2.75 ** 2 + 1.75 ** 2 + 0.25 ** 2 + 4.25 ** 2) / 3), 1e-12)
    // linear interpolation over 1, 2, 4, 8: positions 0.75, 1.5, 2.25
    expect(x.quantiles).to.deep.equal({q25: 1.75, q50: 3, q75: 5})
  })

  it('puts every value in one of 20 equal-width bins, the maximum in the last', () => {
    const values = [0, 0.5, 1, 4.99, 5, 9.5, 10, 10, null]
    const meta = describeFrame(pl.DataFrame({v: values}))
    const h = column(meta, 'v').histogram!
    expect(h.edges).to.have.length(HISTOGRAM_BINS + 1)
    expect(h.counts).to.have.length(HISTOGRAM_BINS)
    expect(h.edges[0]).to.equal(0)
    expect(h.edges[20]).to.equal(10)
    expect(h.edges[1]).to.be.closeTo(0.5, 1e-12)
    const expected = new Array(20).fill(0)
    expected[0] = 1 // 0
    expected[1] = 1 // 0.5
    expected[2] = 1 // 1
    expected[9] = 1 // 4.99
    expected[10] = 1 // 5
    expected[19] = 3 // 9.5, 10, 10
    expect(h.counts).to.deep.equal(expected)
    expect(sum(h.counts)).to.equal(column(meta, 'v').count)
  })

  it('handles a constant column, an all-null column and an empty frame', () => {
    const meta = describeFrame(pl.DataFrame({c: [3, 3, 3], n: [null, null, null]}).withColumns(pl.col('n').cast(pl.Float64)))
    const c = column(meta, 'c')
    expect(c).to.include({count: 3, nulls: 0, min: 3, max: 3, mean: 3, std: 0})
    expect(c.histogram!.counts).to.have.length(20)
    expect(sum(c.histogram!.counts)).to.equal(3)
    expect(c.histogram!.edges[0]).to.be.lessThan(3)
    expect(c.histogram!.edges[20]).to.be.greaterThan(3)
    const n = column(meta, 'n')
    expect(n).to.include({count: 0, nulls: 3, min: null, max: null, mean: null})
    expect(n.histogram).to.equal(undefined)

    const empty = describeFrame(pl.DataFrame({a: [] as number[], s: [] as string[]}))
    expect(empty.rows).to.equal(0)
    expect(empty.stats).to.have.length(2)
    expect(column(empty, 'a')).to.include({count: 0, nulls: 0, min: null})
    expect(column(empty, 's')).to.include({count: 0, nulls: 0})
    expect(empty.preview).to.deep.equal({columns: ['a', 's'], rows: []})

    const nothing = describeFrame(pl.DataFrame({}))
    expect(nothing).to.deep.equal({schema: [], rows: 0, stats: [], preview: {columns: [], rows: []}})
  })

  it('bins integer columns, leaves NaN out of the bins and gives no histogram for an infinite range', () => {
    const df = pl.DataFrame({nan: [0, Number.NaN, 10], inf: [1, Number.POSITIVE_INFINITY, 2]}).withColumns(
      pl.Series('int', [0, 5, 10], pl.Int64),
    )
    const meta = describeFrame(df)
    const int = column(meta, 'int').histogram!
    expect([int.counts[0], int.counts[10], int.counts[19], sum(int.counts)]).to.deep.equal([1, 1, 1, 3])
    const nan = column(meta, 'nan')
    expect(nan).to.include({count: 3, min: 0, max: 10, mean: null})
    expect(sum(nan.histogram!.counts)).to.equal(2)
    const inf = column(meta, 'inf')
    expect(inf).to.include({min: 1, max: null})
    expect(inf.histogram).to.equal(undefined)
    expect(JSON.parse(JSON.stringify(meta))).to.deep.equal(meta)
  })

  it('counts distinct non-null strings, booleans and categoricals', () => {
    const df = pl.DataFrame({
      s: ['b', 'a', null, 'b', 'c'],
      flag: [true, true, null, true, true],
      cat: ['x', 'y', 'x', 'x', null],
    }).withColumns(pl.col('cat').cast(pl.Categorical))
    const meta = describeFrame(df)
    expect(column(meta, 's')).to.include({dtype: 'String', count: 4, nulls: 1, distinct: 3, min: 'a', max: 'c'})
    expect(column(meta, 'flag')).to.include({dtype: 'Boolean', count: 4, nulls: 1, distinct: 1})
    expect(column(meta, 'cat')).to.include({dtype: 'Categorical', count: 4, nulls: 1, distinct: 2})
    expect(column(meta, 's').histogram).to.equal(undefined)
  })

  it('makes a JSON-safe preview: BigInt, dates, NaN and Infinity', () => {
    const df = pl.DataFrame({
      big: pl.Series('big', [1n, 2n ** 60n], pl.UInt64),
      f: [Number.NaN, Number.POSITIVE_INFINITY],
      d: [new Date(Date.UTC(2024, 0, 2)), null],
    })
    const meta = describeFrame(df, {preview: 5})
    expect(meta.preview).to.deep.equal({
      columns: ['big', 'f', 'd'],
      rows: [
        [1, null, '2024-01-02T00:00:00.000Z'],
        ['1152921504606846976', null, null],
      ],
    })
    expect(JSON.parse(JSON.stringify(meta))).to.deep.equal(meta)
    expect(column(meta, 'd')).to.include({min: '2024-01-02T00:00:00.000Z', max: '2024-01-02T00:00:00.000Z', count: 1})
  })

  it('keeps the exact digits of 64-bit integers beyond 2^53 in the preview and in min and max', () => {
    const path = join(dir, 'i64.csv')
    writeFileSync(path, 'a,b,u\n9223372036854775807,1,-5\n1,2,0\n-9223372036854775808,3,9007199254740993\n')
    const meta = describeFile(path, 'csv', {preview: 5})
    expect(meta.preview?.rows).to.deep.equal([
      ['9223372036854775807', 1, -5],
      [1, 2, 0],
      ['-9223372036854775808', 3, '9007199254740993'],
    ])
    expect(column(meta, 'a')).to.include({min: '-9223372036854775808', max: '9223372036854775807', count: 3})
    expect(column(meta, 'u')).to.include({min: -5, max: '9007199254740993'})
    expect(column(meta, 'b')).to.include({min: 1, max: 3})
    expect(column(meta, 'a').histogram?.counts.reduce((x, y) => x + y, 0)).to.equal(3)
  })

  it('limits the preview, and skips stats or preview when asked', () => {
    const df = pl.DataFrame({i: Array.from({length: 50}, (_, i) => i)})
    expect(describeFrame(df).preview!.rows).to.have.length(20)
    expect(describeFrame(df, {preview: 3}).preview!.rows).to.deep.equal([[0], [1], [2]])
    const bare = describeFrame(df, {preview: 0, stats: false})
    expect(bare).to.deep.equal({schema: [{name: 'i', dtype: 'Float64'}], rows: 50, stats: null, preview: null})
  })

  it('gives the same result synchronously and asynchronously', async () => {
    const df = pl.DataFrame({a: [5, 1, 3, null], s: ['p', 'q', 'p', null], d: [new Date(0), null, null, null]})
    expect(await describeFrameAsync(df)).to.deep.equal(describeFrame(df))
  })

  it('samples quantiles and histograms on big frames, staying close to the exact values', () => {
    const n = EXACT_STATS_ROWS * 3 + 7
    // a permutation of 0..n-1 with a skewed copy: uniform and triangular shapes
    const values = Float64Array.from({length: n}, (_, i) => (i * 7919) % n)
    const skewed = values.map((x) => Math.sqrt(x / n))
    const meta = describeFrame(pl.DataFrame({v: values, s: skewed}))
    const v = column(meta, 'v')
    expect(v.sampledRows).to.equal(Math.ceil(n / Math.ceil(n / SAMPLE_ROWS)))
    expect(v).to.include({count: n, min: 0, max: n - 1, mean: (n - 1) / 2})
    expect(sum(v.histogram!.counts)).to.equal(n)
    for (const c of v.histogram!.counts) expect(c).to.be.closeTo(n / 20, n * 0.002)
    expect(v.histogram!.edges[0]).to.equal(0)
    expect(v.histogram!.edges[20]).to.equal(n - 1)
    expect(v.quantiles!.q50!).to.be.closeTo((n - 1) / 2, n * 0.01)
    expect(v.quantiles!.q25!).to.be.closeTo((n - 1) / 4, n * 0.01)
    // P(sqrt(U) in bin k) = ((k+1)^2 - k^2) / 400
    const s = column(meta, 's')
    expect(sum(s.histogram!.counts)).to.equal(n)
    s.histogram!.counts.forEach((c, k) => expect(c).to.be.closeTo((n * (2 * k + 1)) / 400, n * 0.003))
    // small frames: everything exact, nothing flagged
    expect(column(describeFrame(pl.DataFrame({v: values.slice(0, EXACT_STATS_ROWS)})), 'v').sampledRows).to.equal(undefined)
  })

  it('describes two frames of one schema, each by its own values', () => {
    const a = describeFrame(pl.DataFrame({v: [1, 2, 3], s: ['a', 'b', 'b']}))
    const b = describeFrame(pl.DataFrame({v: [10, 20, 30, 40], s: ['x', 'y', 'z', 'z']}))
    expect(column(a, 'v')).to.include({min: 1, max: 3, mean: 2})
    expect(column(b, 'v')).to.include({min: 10, max: 40, mean: 25})
    expect(column(a, 's')).to.include({distinct: 2, min: 'a', max: 'b'})
    expect(column(b, 's')).to.include({distinct: 3, min: 'x', max: 'z'})
    expect(sum(column(b, 'v').histogram!.counts)).to.equal(4)
  })

  it('describes a CSV file logged from another language', () => {
    const path = join(dir, 'iris.txt')
    writeFileSync(path, 'sepal_length,species\n5.1,setosa\n4.9,setosa\n6.3,virginica\n')
    const meta = describeFile(path)
    expect(meta.rows).to.equal(3)
    expect(meta.schema).to.deep.equal([{name: 'sepal_length', dtype: 'Float64'}, {name: 'species', dtype: 'String'}])
    expect(column(meta, 'sepal_length').mean).to.be.closeTo(5.433333333, 1e-6)
    expect(column(meta, 'species').distinct).to.equal(2)

    const parquet = join(dir, 'frame.bin')
    writeFrame(pl.DataFrame({k: [1, 2]}), parquet, 'parquet')
    expect(describeFile(parquet).rows).to.equal(2)
  })
})
