// pandas frames as lode stores them: MultiIndex columns flattened, a meaningful index kept as columns (as MLRun
// keeps it), duplicate names made unique, and a warning on the run's log for each change. Real pandas, real runs.
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import pl from 'nodejs-polars'
import {tempProject} from '../../../helpers/project.ts'
import {TEST_PYTHON, pythonHas} from './run-handler.ts'

const HANDLER = `
import pandas as pd

def handler(context):
    sales = pd.DataFrame({'g': ['x', 'x', 'y'], 'v': [1.0, 3.0, 5.0]})
    context.log_dataset('grouped', sales.groupby('g').agg({'v': ['mean', 'max']}))
    dated = pd.DataFrame({'v': [1, 2]}, index=pd.to_datetime(['2024-01-01', '2024-01-02']))
    context.log_dataset('dated', dated, format='csv')
    named = pd.DataFrame({'v': [1, 2]}, index=pd.Index(['a', 'b'], name='id'))
    context.log_dataset('named', named)
    context.log_dataset('dupes', pd.DataFrame([[1, 2, 3]], columns=['a', 'a', 'a_2']))
    plain = pd.DataFrame({'v': [1, 2, 3, 4]})
    context.log_dataset('filtered', plain[plain.v % 2 == 0].iloc[::-1])
`

describe('python SDK: data frames as stored', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  before(async () => {
    t = await tempProject('frames')
    t.write('h.py', HANDLER)
  })
  after(() => t.cleanup())

  it('flattens MultiIndex columns, keeps a named or date index as columns, renames duplicates, and warns of each', async function () {
    if (!pythonHas(TEST_PYTHON, 'pandas')) this.skip()
    const run = await t.project.run('h.py', {python: TEST_PYTHON})
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
    const stored = (key: string) => {
      const v = t.project.store.artifacts.resolve({key})
      const bytes = readFileSync(t.project.store.objects.path(v.sha256))
      return v.format === 'csv' ? pl.readCSV(bytes, {tryParseDates: true}) : pl.readParquet(bytes)
    }

    const grouped = stored('grouped')
    expect(grouped.columns).to.deep.equal(['g', 'v_mean', 'v_max'])
    expect(grouped.toRecords()).to.deep.equal([{g: 'x', v_mean: 2, v_max: 3}, {g: 'y', v_mean: 5, v_max: 5}])

    const dated = stored('dated')
    expect(dated.columns).to.deep.equal(['index', 'v'])
    expect(dated.getColumn('index').dtype.toString()).to.match(/Date/)
    expect(String(dated.getColumn('index').toArray()[0])).to.match(/2024/)
    expect(dated.getColumn('v').toArray()).to.deep.equal([1, 2])

    expect(stored('named').toRecords()).to.deep.equal([{id: 'a', v: 1}, {id: 'b', v: 2}])
    expect(stored('dupes').toRecords()).to.deep.equal([{a: 1, a_3: 2, a_2: 3}])
    // an unnamed integer index is row numbers, also after filtering or shuffling: dropped, nothing to say
    expect(stored('filtered').toRecords()).to.deep.equal([{v: 4}, {v: 2}])

    const warnings = readFileSync(join(t.project.store.runDir(run.uid), 'events.jsonl'), 'utf8').trim().split('\n')
      .map((l) => JSON.parse(l)).filter((e) => e.t === 'log' && e.level === 'warn').map((e) => e.msg as string)
    expect(warnings).to.deep.equal([
      "log_dataset('grouped'): its 2-level column names were joined with '_': v_mean, v_max",
      "log_dataset('grouped'): its index was kept as column g",
      "log_dataset('dated'): its index was kept as column index",
      "log_dataset('named'): its index was kept as column id",
      "log_dataset('dupes'): duplicate column names were renamed: a -> a_3",
    ])
  })
})
