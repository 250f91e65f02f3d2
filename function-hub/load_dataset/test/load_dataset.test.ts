// The handler called with a recording stand-in for lode's Context (to run through `lode run` once the SDK lands).

import {expect} from 'chai'
import type pl from 'nodejs-polars'
import {load_dataset} from '../load_dataset.ts'
import type {Context as LodeContext} from 'lode'
import type {Context, JsonValue} from '../lode-types.ts'

// Compile-time only: lode's own Context is accepted by the handler's structural type.
export const acceptsLodeContext = (ctx: LodeContext): Parameters<typeof load_dataset> => [ctx, {}]

class RecordingContext {
  readonly datasets = new Map<string, {df: pl.DataFrame; format?: string; labels?: Record<string, string>}>()
  readonly logger = {info: () => {}, warn: () => {}}
  logResult(): void {}
  logResults(_: Record<string, JsonValue>): void {}
  progress(): void {}
  async logPlot(): Promise<void> {}
  async logModel(): Promise<void> {}
  async logDataset(key: string, df: pl.DataFrame, opts?: {format?: string; labels?: Record<string, string>}): Promise<void> {
    this.datasets.set(key, {df, ...opts})
  }
}

async function run(args: Parameters<typeof load_dataset>[1]) {
  const ctx = new RecordingContext()
  const results = await load_dataset(ctx as Context, args)
  return {results, logged: ctx.datasets.get('dataset')}
}

describe('load_dataset', () => {
  it('logs breast cancer by default, as parquet, and returns its shape', async () => {
    const {results, logged} = await run({})
    expect(results).to.deep.equal({rows: 569, columns: 31})
    expect(logged?.format).to.equal('parquet')
    expect(logged?.df.columns[0]).to.equal('mean_radius')
    expect(logged?.df.columns.at(-1)).to.equal('label')
    expect(logged?.df.getColumn('label').toArray().filter((v) => v === 1)).to.have.length(357)
  })

  it('logs iris in the format asked for', async () => {
    const {results, logged} = await run({name: 'iris', format: 'csv'})
    expect(results).to.deep.equal({rows: 150, columns: 5})
    expect(logged?.format).to.equal('csv')
    expect(logged?.labels).to.deep.equal({source: 'iris'})
  })

  it('generates the same synthetic data for the same random_state, other data for another', async () => {
    const args = {name: 'synthetic', rows: 300, features: 4, classes: 3, noise: 0.5, random_state: 7}
    const first = (await run(args)).logged?.df as pl.DataFrame
    const second = (await run(args)).logged?.df as pl.DataFrame
    const other = (await run({...args, random_state: 8})).logged?.df as pl.DataFrame
    expect(first.columns).to.deep.equal(['feature_0', 'feature_1', 'feature_2', 'feature_3', 'label'])
    expect(first.height).to.equal(300)
    expect(String(first.getColumn('label').dtype)).to.include('Int64')
    expect(first.toRecords()).to.deep.equal(second.toRecords())
    expect(other.toRecords()).to.not.deep.equal(first.toRecords())
    const labels = first.getColumn('label').toArray() as number[]
    expect([0, 1, 2].map((c) => labels.filter((l) => l === c).length)).to.deep.equal([100, 100, 100])
  })

  it('spreads synthetic classes around separate centres, by noise', async () => {
    const spread = async (noise: number) => {
      const df = (await run({name: 'synthetic', rows: 400, features: 2, classes: 2, noise, random_state: 1})).logged?.df as pl.DataFrame
      const x = df.getColumn('feature_0').toArray() as number[]
      const mean = x.reduce((a, b) => a + b, 0) / x.length
      return x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length
    }
    expect(await spread(0)).to.be.lessThan(await spread(3))
  })

  it('lists the available data sets for an unknown name', async () => {
    const error = await run({name: 'mnist'}).catch((e: Error) => e)
    expect(String(error)).to.include('unknown data set "mnist"; available: breast_cancer, iris, synthetic')
  })

  it('refuses an unknown format and bad synthetic sizes', async () => {
    expect(String(await run({format: 'xlsx'}).catch((e: Error) => e))).to.include('unknown format "xlsx"')
    expect(String(await run({name: 'synthetic', classes: 1}).catch((e: Error) => e))).to.include('classes must be an integer >= 2')
  })

  it('generates a million synthetic rows, the classes balanced', async () => {
    const {results, logged} = await run({name: 'synthetic', rows: 1_000_000, features: 2, classes: 4})
    expect(results).to.deep.equal({rows: 1_000_000, columns: 3})
    const counts = (logged?.df as pl.DataFrame).getColumn('label').valueCounts().sort('label').getColumn('count').toArray()
    expect(counts.map(Number)).to.deep.equal([250_000, 250_000, 250_000, 250_000])
  })
})
