// `lode predict`: a data file through the model's workers (or lode-ml in-process), the input's columns kept and
// the predictions added, the same as the model predicts in-process; and what it refuses.
import {expect} from 'chai'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import pl from 'nodejs-polars'
import {ROOT} from '../helpers/project.ts'
import {inProcess, json, lode, PY_ENV, pythonProject, tsLearnersHub, tsProject} from './fixtures.ts'

describe('lode predict', function () {
  this.timeout(180_000)
  const dirs: string[] = []
  after(() => dirs.forEach((d) => rmSync(d, {recursive: true, force: true})))

  it('predicts a CSV with a scikit-learn pickle into parquet, keeping the columns and adding the probabilities', () => {
    const {dir} = pythonProject({gate: false})
    dirs.push(dir)
    const expected = inProcess(dir)
    const r = lode(['predict', 'model', '-i', 'rows.csv', '-o', 'out.parquet', '--proba', '--workers', '2', '--json'], {cwd: dir, env: PY_ENV})
    expect(r.code, r.stderr).to.equal(0)
    expect(json(r).data).to.deep.include({rows: expected.rows.length, model: 'model'})
    const out = pl.readParquet(join(dir, 'out.parquet'))
    const input = pl.readCSV(readFileSync(join(dir, 'rows.csv'), 'utf8'))
    expect(out.columns).to.deep.equal([...input.columns, 'predicted_label', 'proba_0', 'proba_1'])
    expect(out.getColumn('predicted_label').toArray().map(Number)).to.deep.equal(expected.predict)
    expect(out.getColumn('proba_1').toArray()).to.deep.equal(expected.proba.map((p) => p[1]))

    // features are found by name, whatever the column order; a missing one is named
    writeFileSync(join(dir, 'shuffled.csv'), input.select(...[...input.columns].reverse()).writeCSV().toString())
    const shuffled = lode(['predict', 'model', '-i', 'shuffled.csv', '-o', 'shuffled.csv.out.csv'], {cwd: dir, env: PY_ENV})
    expect(shuffled.code, shuffled.stderr).to.equal(0)
    expect(pl.readCSV(readFileSync(join(dir, 'shuffled.csv.out.csv'), 'utf8')).getColumn('predicted_label').toArray().map(Number)).to.deep.equal(expected.predict)
    writeFileSync(join(dir, 'short.csv'), input.drop('mean radius').writeCSV().toString())
    const short = lode(['predict', 'model', '-i', 'short.csv', '-o', 'x.parquet'], {cwd: dir, env: PY_ENV})
    expect(short.code).to.equal(2)
    expect(short.stderr).to.match(/short.csv lacks 1 of the model's 30 feature columns: "mean radius"/)

    expect(lode(['predict', 'model', '-i', 'rows.csv', '-o', 'out.xlsx'], {cwd: dir, env: PY_ENV}).code).to.equal(2)
    expect(lode(['predict', 'model', '-i', 'nothere.csv', '-o', 'out.csv'], {cwd: dir, env: PY_ENV}).code).to.equal(4)
  })

  it('refuses an output column that would replace a feature, and says which column holds text or no values', () => {
    const {dir} = pythonProject({gate: false})
    dirs.push(dir)
    const input = pl.readCSV(readFileSync(join(dir, 'rows.csv'), 'utf8'))
    const clash = lode(['predict', 'model', '-i', 'rows.csv', '-o', 'out.csv', '--result-column', 'mean radius'], {cwd: dir, env: PY_ENV})
    expect(clash.code).to.equal(2)
    expect(clash.stderr).to.match(/The output column "mean radius" would replace the model's feature column of that name in rows.csv/)
    writeFileSync(join(dir, 'text.csv'), input.withColumns(pl.lit('abc').alias('mean radius')).writeCSV().toString())
    const text = lode(['predict', 'model', '-i', 'text.csv', '-o', 'out.csv'], {cwd: dir, env: PY_ENV})
    expect(text.code).to.equal(2)
    expect(text.stderr).to.match(/Column "mean radius" of text.csv holds String values, not numbers/)
    writeFileSync(join(dir, 'blank.csv'), input.withColumns(pl.lit(null).alias('mean radius')).writeCSV().toString())
    const blank = lode(['predict', 'model', '-i', 'blank.csv', '-o', 'out.csv'], {cwd: dir, env: PY_ENV})
    expect(blank.code).to.equal(2)
    expect(blank.stderr).to.match(/Column "mean radius" of blank.csv has no values/)
  })

  it('predicts with a model of the TypeScript learners as the hub code does', async () => {
    const {dir} = tsProject()
    dirs.push(dir)
    expect(lode(['artifacts', 'get', 'test_set', '-o', join(dir, 'test.parquet')], {cwd: dir}).code).to.equal(0)
    const r = lode(['predict', 'model', '-i', 'test.parquet', '-o', 'pred.csv'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    expect(lode(['artifacts', 'get', 'model', '-o', join(dir, 'm')], {cwd: dir}).code).to.equal(0)
    const mod = await import(pathToFileURL(join(ROOT, 'function-hub', tsLearnersHub(), 'ml', 'trained-model.ts')).href)
    const loaded = mod.loadModel(readFileSync(join(dir, 'm', 'cancer.json'), 'utf8'))
    const test = pl.readParquet(join(dir, 'test.parquet'))
    const names: string[] = loaded.model.features.map((f: {name: string}) => f.name)
    const rows = Array.from({length: test.height}, (_, i) => names.map((n) => Number(test.getColumn(n).get(i))))
    const out = pl.readCSV(readFileSync(join(dir, 'pred.csv'), 'utf8'))
    expect(out.height).to.equal(test.height)
    expect(out.getColumn('predicted_label').toArray().map(Number)).to.deep.equal(mod.predictLabels(loaded, rows).values.map(Number))
  })
})
