// The handler called with a recording stand-in for lode's Context (to run through `lode run` once the SDK lands).

import {fileURLToPath} from 'node:url'
import {expect} from 'chai'
import pl from 'nodejs-polars'
import {describe as describeHandler} from '../describe.ts'
import type {Context as LodeContext, DataItem as LodeDataItem} from 'lode'
import type {Context, DataItem, JsonValue} from '../lode-types.ts'
import {correlationMatrix, histogram} from '../stats.ts'

// Compile-time only: lode's own Context and DataItem are accepted by the handler's structural types.
export const acceptsLodeTypes = (ctx: LodeContext, item: LodeDataItem): Parameters<typeof describeHandler> => [ctx, {dataset: item}]

class RecordingContext {
  readonly datasets = new Map<string, pl.DataFrame>()
  readonly plots = new Map<string, string>()
  readonly warnings: string[] = []
  readonly logger = {info: () => {}, warn: (msg: string) => void this.warnings.push(msg)}
  logResult(): void {}
  logResults(_: Record<string, JsonValue>): void {}
  progress(): void {}
  async logModel(): Promise<void> {}
  async logPlot(key: string, src: {body: string | Uint8Array}): Promise<void> {
    this.plots.set(key, String(src.body))
  }
  async logDataset(key: string, df: pl.DataFrame): Promise<void> {
    this.datasets.set(key, df)
  }
}

const dataPath = (name: string) => fileURLToPath(new URL(`../../load_dataset/data/${name}.csv`, import.meta.url))
const frameItem = (df: pl.DataFrame): DataItem => ({key: 'dataset', url: 'memory', meta: {}, localPath: () => '', getText: async () => '', asDf: async () => df})

async function run(df: pl.DataFrame, label_column?: string) {
  const ctx = new RecordingContext()
  const results = await describeHandler(ctx as Context, {dataset: frameItem(df), label_column})
  return {ctx, results, summary: ctx.datasets.get('summary') as pl.DataFrame}
}

describe('describe', () => {
  it('summarizes every column of iris as one row each, with the statistics polars gives', async () => {
    const iris = pl.readCSV(dataPath('iris'))
    const {ctx, results, summary} = await run(iris)
    expect(results).to.deep.equal({rows: 150, columns: 5})
    expect(summary.columns).to.deep.equal(['column', 'dtype', 'count', 'nulls', 'unique', 'mean', 'std', 'min', 'q25', 'median', 'q75', 'max'])
    expect(summary.getColumn('column').toArray()).to.deep.equal(iris.columns)
    const sepal = summary.row(0) as (string | number)[]
    expect(sepal.slice(0, 5)).to.deep.equal(['sepal_length_cm', 'Float64', 150, 0, 35])
    expect(sepal[5]).to.be.closeTo(5.8433, 1e-4)
    expect(sepal[6]).to.be.closeTo(0.8281, 1e-4)
    expect(sepal.slice(7)).to.deep.equal([4.3, 5.1, 5.8, 6.4, 7.9])
    expect([...ctx.plots.keys()]).to.deep.equal(['histograms', 'correlation', 'class-balance'])
    for (const name of iris.columns) expect(ctx.plots.get('histograms')).to.include(`>${name}</text>`)
    expect(ctx.plots.get('class-balance')).to.include('>50</text>').and.include('Class balance of label')
  })

  it('counts nulls and leaves numeric statistics empty for text columns', async () => {
    const df = pl.DataFrame({x: [1, null, 3, 4], name: ['a', 'b', null, 'b'], kind: ['u', 'v', 'u', 'u']})
    const {ctx, summary} = await run(df, 'kind')
    const rows = summary.toRecords()
    expect(rows[0]).to.include({column: 'x', count: 3, nulls: 1, min: 1, max: 4})
    expect(rows[1]).to.include({column: 'name', dtype: 'String', count: 3, nulls: 1, unique: 2, mean: null, max: null})
    expect([...ctx.plots.keys()]).to.deep.equal(['histograms', 'class-balance'])
    expect(ctx.plots.get('class-balance')).to.include('>u</text>').and.include('>3</text>')
  })

  it('skips the class balance when the label column is absent, and says so when it was named', async () => {
    const df = pl.DataFrame({a: [1, 2, 3], b: [3, 1, 2]})
    expect([...(await run(df)).ctx.plots.keys()]).to.deep.equal(['histograms', 'correlation'])
    expect((await run(df, 'target')).ctx.warnings).to.deep.equal(['no column "target": no class-balance plot'])
  })

  it('computes correlations and histograms that match hand-computed values', () => {
    const df = pl.DataFrame({a: [1, 2, 3, 4], b: [2, 4, 6, 8], c: [4, 3, 2, 1], d: [5, 5, 5, 5]})
    const r = correlationMatrix(df, ['a', 'b', 'c', 'd'])
    expect(r[0]?.slice(0, 3).map((v) => Number(v.toFixed(12)))).to.deep.equal([1, 1, -1])
    expect(r[0]?.[3]).to.be.NaN
    expect(histogram(pl.Series('a', [0, 1, 2, 10]), 5)).to.deep.equal({min: 0, max: 10, counts: [2, 1, 0, 0, 1]})
  })

  it('draws every column of breast cancer as well-formed SVG', async () => {
    const {ctx, summary} = await run(pl.readCSV(dataPath('breast_cancer')))
    expect(summary.height).to.equal(31)
    for (const svg of ctx.plots.values()) {
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).to.equal(true)
      expect(svg.match(/<text\b/g)?.length).to.equal(svg.match(/<\/text>/g)?.length)
    }
    expect(ctx.plots.get('correlation')).to.include('>worst_fractal_dimension</text>')
  })

  it('describes a million rows: exact counts, min and max, and every row in a histogram bin', async () => {
    const n = 1_000_000
    const x = new Float64Array(n)
    for (let i = 0; i < n; i++) x[i] = ((i * 7919) % n) / 1000 - 250
    const df = pl.DataFrame([pl.Series('x', x, pl.Float64), pl.Series('label', Array.from({length: n}, (_, i) => i % 3), pl.Int64)])
    const {ctx, results, summary} = await run(df)
    expect(results).to.deep.equal({rows: n, columns: 2})
    expect(summary.toRecords()[0]).to.include({column: 'x', count: n, nulls: 0, min: -250, max: 749.999})
    expect(histogram(df.getColumn('x'))).to.include({min: -250, max: 749.999})
    expect(histogram(df.getColumn('x')).counts.reduce((a, b) => a + b, 0)).to.equal(n)
    expect(ctx.plots.get('class-balance')).to.include('>333334</text>')
  })
})
