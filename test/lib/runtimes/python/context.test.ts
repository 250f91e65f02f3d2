import {expect} from 'chai'
import {existsSync, readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import pl from 'nodejs-polars'
import {TEST_PYTHON, artifacts, assertCompleted, errorEvent, pythonHas, results, runHandler, workspace} from './run-handler.ts'

const BASE_PYTHON = existsSync(TEST_PYTHON) ? TEST_PYTHON : 'python3'
const WITH_PANDAS = pythonHas(TEST_PYTHON, 'pandas')

describe('python SDK: the context', () => {
  let ws: Awaited<ReturnType<typeof workspace>>
  before(async () => {
    ws = await workspace()
  })
  after(async () => {
    await ws.remove()
  })

  it('sends logs, labels, progress and results as events', async () => {
    const run = await runHandler(ws.root, {
      python: BASE_PYTHON,
      source: `
def handler(context):
    context.logger.info('loaded', rows=3, name='x')
    context.logger.warning('careful')
    context.set_label('stage', 'dev')
    context.progress(0.5, 'half')
    context.log_results({'a': 1, 'nan': float('nan'), 'none': None, 'nested': {'k': [1, 2]}})
`,
    })
    assertCompleted(run)
    const kinds = run.events.map((e) => e.t)
    expect(kinds).to.deep.equal(['log', 'log', 'label', 'progress', 'result', 'result', 'result', 'result'])
    expect(run.events[0]).to.include({level: 'info', msg: 'loaded'}).and.have.deep.property('fields', {rows: 3, name: 'x'})
    expect(run.events[1]).to.include({level: 'warn', msg: 'careful'})
    expect(run.events[2]).to.include({key: 'stage', value: 'dev'})
    expect(run.events[3]).to.include({fraction: 0.5, message: 'half'})
    expect(results(run)).to.deep.equal({a: 1, nan: 'NaN', none: null, nested: {k: [1, 2]}})
  })

  it('stages artifacts from a body or a local path, and plots with their mime type', async () => {
    const run = await runHandler(ws.root, {
      python: BASE_PYTHON,
      source: `
import os
def handler(context):
    context.log_artifact('notes', body='some text')
    context.log_artifact('notes', body=b'second version')
    context.log_artifact('config', body={'a': 1}, labels={'team': 'ml'})
    context.log_artifact('report', local_path='report.html')
    os.makedirs('outdir', exist_ok=True)
    open('outdir/x.txt', 'w').write('x')
    context.log_artifact('folder', local_path='outdir')
    context.log_plot('chart', body='<svg xmlns="http://www.w3.org/2000/svg"/>')
`,
      files: {'report.html': '<p>hi</p>'},
    })
    assertCompleted(run)
    const events = run.events.filter((e) => e.t === 'artifact')
    expect(events.map((e) => [e.key, e.kind, e.format])).to.deep.equal([
      ['notes', 'artifact', 'txt'], ['notes', 'artifact', 'bin'], ['config', 'artifact', 'json'],
      ['report', 'artifact', 'html'], ['folder', 'dir', undefined], ['chart', 'plot', 'svg'],
    ])
    const [first, second, config, report, folder, chart] = events
    expect(first?.path).to.equal(join(run.stagingDir, 'notes.txt'))
    expect(readFileSync(first!.path, 'utf8')).to.equal('some text')
    expect(second?.path).to.equal(join(run.stagingDir, 'notes.bin'))
    expect(JSON.parse(readFileSync(config!.path, 'utf8'))).to.deep.equal({a: 1})
    expect(config?.labels).to.deep.equal({team: 'ml'})
    expect(report?.path).to.equal(join(run.dir, 'report.html'))
    expect(folder?.path).to.equal(join(run.dir, 'outdir'))
    expect(chart?.mime).to.equal('image/svg+xml')
  })

  it('stages a model directory with the model file and extra data', async () => {
    const run = await runHandler(ws.root, {
      python: BASE_PYTHON,
      source: `
def handler(context):
    context.log_model('my_model', body=b'weights', model_file='model.bin', framework='custom', algorithm='Tree',
                      metrics={'accuracy': 0.9}, parameters={'depth': 3},
                      extra_data={'notes.txt': b'extra', 'features': 'features.json'},
                      inputs=[{'name': 'a', 'dtype': 'float64'}], outputs=[('label', 'int64')], labels={'v': 1})
    context.log_model('from_file', model_file='weights.pkl')
`,
      files: {'features.json': '["a"]', 'weights.pkl': 'pickled'},
    })
    assertCompleted(run)
    const found = artifacts(run)
    const model = found.my_model!
    expect(model.kind).to.equal('model')
    expect(model.path).to.equal(join(run.stagingDir, 'my_model'))
    expect(readdirSync(model.path).sort()).to.deep.equal(['features.json', 'model.bin', 'notes.txt'])
    expect(readFileSync(join(model.path, 'model.bin'), 'utf8')).to.equal('weights')
    expect(model.labels).to.deep.equal({v: '1'})
    expect(model.model).to.deep.equal({
      framework: 'custom', algorithm: 'Tree', modelFile: 'model.bin', metrics: {accuracy: 0.9}, parameters: {depth: 3},
      extraData: ['notes.txt', 'features.json'], inputs: [{name: 'a', dtype: 'float64'}], outputs: [{name: 'label', dtype: 'int64'}],
    })
    expect(found.from_file?.model?.modelFile).to.equal('weights.pkl')
    expect(readdirSync(found.from_file!.path)).to.deep.equal(['weights.pkl'])
  })

  it('says a model_file that is a folder is one, and how to log it', async () => {
    const run = await runHandler(ws.root, {
      python: BASE_PYTHON,
      source: `
import os
def handler(context):
    os.makedirs('model_folder', exist_ok=True)
    context.log_model('m', model_file='model_folder')
`,
    })
    expect(run.code).to.equal(1)
    expect(errorEvent(run)?.message).to.equal(
      "ValueError: log_model('m'): model_file 'model_folder' is a folder: pass it as model_dir= (with model_file= naming the model file in it)",
    )
  })

  it('logs records as ndjson without pandas, with the requested format as targetFormat', async () => {
    const run = await runHandler(ws.root, {
      python: BASE_PYTHON,
      source: `
def handler(context):
    context.log_dataset('rows', [{'a': 1, 'b': 'x'}, {'a': 2, 'b': None}])
    context.log_dataset('cols', {'a': [1, 2], 'b': [True, False]}, format='csv')
`,
    })
    assertCompleted(run)
    const {rows, cols} = artifacts(run)
    expect(rows).to.include({kind: 'dataset', format: 'ndjson', targetFormat: 'parquet'})
    expect(readFileSync(rows!.path, 'utf8')).to.equal('{"a": 1, "b": "x"}\n{"a": 2, "b": null}\n')
    expect(cols).to.include({format: 'ndjson', targetFormat: 'csv'})
  })

  const describePandas = WITH_PANDAS ? describe : describe.skip
  describePandas(`with pandas (${TEST_PYTHON})`, () => {
    it('log_dataset writes CSV without the index when no parquet engine exists, and asks lode for parquet', async () => {
      const withArrow = pythonHas(TEST_PYTHON, 'pyarrow')
      const run = await runHandler(ws.root, {
        source: `
import pandas as pd
def handler(context):
    df = pd.DataFrame({'id': ['007', '008'], 'x': [1.5, None], 'ok': [True, False]}, index=[10, 20])
    context.log_dataset('frame', df, preview=5, stats=False, labels={'src': 'test'})
    context.log_dataset('as_csv', df, format='csv')
`,
      })
      assertCompleted(run)
      const {frame, as_csv: asCsv} = artifacts(run)
      expect(frame).to.include({kind: 'dataset', targetFormat: 'parquet', preview: 5, stats: false})
      expect(frame?.labels).to.deep.equal({src: 'test'})
      if (withArrow) {
        expect(frame).to.include({format: 'parquet'})
      } else {
        expect(frame).to.include({format: 'csv'})
        expect(frame?.path).to.equal(join(run.stagingDir, 'frame.csv'))
        expect(readFileSync(frame!.path, 'utf8')).to.equal('id,x,ok\n007,1.5,True\n008,,False\n')
      }
      expect(asCsv).to.include({format: 'csv', targetFormat: 'csv'})
      // a CSV forgets types: lode reads it back with the frame's ("007" stays a string)
      const types = [{name: 'id', dtype: 'String'}, {name: 'x', dtype: 'Float64'}, {name: 'ok', dtype: 'Boolean'}]
      expect(asCsv?.schema).to.deep.equal(types)
      if (!withArrow) expect(frame?.schema).to.deep.equal(types)
    })

    it('names the column types of a frame staged as CSV the way lode\'s schemas name them', async () => {
      const run = await runHandler(ws.root, {
        source: `
import datetime
import pandas as pd
def handler(context):
    df = pd.DataFrame({
        'i8': pd.Series([1, 2], dtype='int8'), 'u32': pd.Series([1, 2], dtype='uint32'), 'n': pd.Series([1, None], dtype='Int64'),
        'f': [0.5, 1.0], 'cat': pd.Categorical(['a', 'b']), 'codes': pd.Categorical(['01', '02']), 'mixed': ['a', 1],
        'when': pd.to_datetime(['2024-01-02', '2024-01-03']), 'utc': pd.to_datetime(['2024-01-02', '2024-01-03']).tz_localize('UTC'),
        'day': [datetime.date(2024, 1, 2), None], 'ints': pd.Series([1, 2], dtype=object), 'gap': pd.to_timedelta([1, 2], unit='s'),
    })
    context.log_dataset('typed', df, format='csv')
`,
      })
      assertCompleted(run)
      const dtypes = Object.fromEntries((artifacts(run).typed?.schema ?? []).map((c) => [c.name, c.dtype]))
      expect(dtypes).to.deep.equal({
        i8: 'Int8', u32: 'UInt32', n: 'Int64', f: 'Float64', cat: 'String', codes: 'String', mixed: 'String',
        when: 'Datetime(ns)', utc: 'Datetime(ns, UTC)', day: 'Date', ints: 'Int64', gap: 'String',
      })
    })

    it('as_df reads csv, tsv and ndjson, and a parquet input through the CSV copy lode made', async () => {
      const parquet = join(ws.root, 'input.parquet')
      pl.DataFrame({id: ['007', '008'], v: [1, 2]}).writeParquet(parquet)
      const converted = join(ws.root, 'input.parquet.csv')
      pl.readParquet(parquet).writeCSV(converted)
      const run = await runHandler(ws.root, {
        source: `
import pandas as pd
def handler(a, b, c, p, frame: pd.DataFrame):
    return {'frame': frame['m'].tolist(), 'csv': a.as_df()['n'].tolist(), 'tsv': b.as_df().columns.tolist(), 'ndjson': c.as_df(columns=['k'])['k'].tolist(),
            'parquet_ids': p.as_df()['id'].tolist(), 'parquet_v': p.as_df()['v'].tolist()}
`,
        files: {'a.csv': 'n,m\n1,2\n3,4\n', 'b.tsv': 'x\ty\n1\t2\n', 'c.jsonl': '{"k": "u", "z": 1}\n{"k": "w", "z": 2}\n'},
        inputs: {
          a: {path: 'a.csv'},
          frame: {path: 'a.csv'},
          b: {path: 'b.tsv'},
          c: {path: 'c.jsonl'},
          p: {path: parquet, meta: {kind: 'dataset', format: 'parquet', converted: {format: 'csv', path: converted},
            dataset: {schema: [{name: 'id', dtype: 'String'}, {name: 'v', dtype: 'Float64'}], rows: 2, stats: null, preview: null}}},
        },
      })
      assertCompleted(run)
      expect(results(run).return).to.deep.equal({frame: [2, 4], csv: [1, 3], tsv: ['x', 'y'], ndjson: ['u', 'w'], parquet_ids: ['007', '008'], parquet_v: [1, 2]})
    })
  })
})
