// Python and exec handlers through the real CLI: MLRun-style handlers, apply_mlrun, `lode log` from a shell
// script, failures, a missing pandas, exec arguments untouched, lode.yaml commands, and datasets across languages.
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {chmodSync, copyFileSync, readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, tempDir, type CliResult} from '../helpers/project.ts'

const PYTHON = process.env.LODE_TEST_PYTHON ?? '/usr/bin/python3'

/** The first python3 on PATH (here an interpreter without pandas), as an absolute path. */
function barePython(): string {
  return execFileSync('sh', ['-c', 'command -v python3'], {encoding: 'utf8'}).trim()
}

function pythonHas(python: string, ...modules: string[]): boolean {
  try {
    execFileSync(python, ['-c', modules.map((m) => `import ${m}`).join('; ')], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
}

// A TypeScript handler logs the training data as parquet: Python (without pyarrow) must still read it.
const MAKE_TS = `
import type {Context} from 'lode'
import pl from 'nodejs-polars'

export async function make(ctx: Context, {rows = 200}: {rows?: number}) {
  let seed = 7
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const a: number[] = [], b: number[] = [], c: number[] = [], label: number[] = []
  for (let i = 0; i < rows; i++) {
    a.push(next()); b.push(next()); c.push(next())
    label.push(a[i]! + b[i]! > 1 ? 1 : 0)
  }
  await ctx.logDataset('training', pl.DataFrame({a, b, c, label}), {format: 'parquet'})
}
`

// As MLRun's documentation writes a training handler; only the import differs.
const TRAIN_PY = `
import pickle
from lode import DataItem
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split


def train(context, dataset: DataItem, model_name="model", label_column="label", n_estimators: int = 10):
    df = dataset.as_df()
    X = df.drop(columns=[label_column])
    y = df[label_column]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=1)
    model = RandomForestClassifier(n_estimators=n_estimators, random_state=1)
    model.fit(X_train, y_train)
    accuracy = float(accuracy_score(y_test, model.predict(X_test)))
    context.logger.info("trained", rows=len(df), model_name=model_name)
    context.log_dataset(key="X_test_dataset", df=X_test)
    context.log_model(key="my_model", body=pickle.dumps(model), model_file="model.pkl", metrics={"accuracy": accuracy})
    context.log_result("accuracy", accuracy)
`

// A second run loads the model back from the store.
const PREDICT_PY = `
import os
import pickle
from lode import DataItem


def predict(context, model: DataItem, dataset: DataItem, label_column="label"):
    directory = model.local()
    context.log_result("files", ",".join(sorted(os.listdir(directory))))
    with open(os.path.join(directory, model.meta["model"]["modelFile"]), "rb") as f:
        clf = pickle.load(f)
    df = dataset.as_df()
    predicted = clf.predict(df.drop(columns=[label_column]))
    context.log_result("predicted", int(len(predicted)))
    context.log_result("model_class", type(clf).__name__)
`

const AUTO_PY = `
from lode import DataItem
from lode.frameworks.sklearn import apply_mlrun
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split


def train(context, dataset: DataItem, label_column="label"):
    df = dataset.as_df()
    X_train, X_test, y_train, y_test = train_test_split(df.drop(columns=[label_column]), df[label_column],
                                                        test_size=0.3, random_state=2)
    model = LogisticRegression()
    apply_mlrun(model=model, model_name="clf", x_test=X_test, y_test=y_test)
    model.fit(X_train, y_train)
`

const FAIL_PY = `
def check(value):
    raise ValueError(f"bad value {value}")


def handler(context, value: int = 42):
    print("before the failure")
    check(value)
`

const AS_DF_PY = `
from lode import DataItem


def load(context, dataset: DataItem):
    context.log_result("rows", len(dataset.as_df()))
`

const IMPORT_PANDAS_PY = `
import pandas as pd


def handler(context):
    context.log_result("v", pd.__version__)
`

const CODES_PY = `
import pandas as pd


def codes(context):
    df = pd.DataFrame({"code": ["007", "010", "123"], "n": [1, 2, 3], "when": pd.to_datetime(["2024-01-02", "2024-02-03", "2024-03-04"])})
    context.log_dataset("codes", df=df)


def read_codes(context, codes):
    df = codes.as_df()
    context.log_result("codes", list(df["code"]))
`

const JOB_SH = `#!/bin/sh
set -e
lode log progress 0.5 halfway
lode log result rows 3
lode log result greeting "hello world"
printf 'a report\\n' > "$LODE_OUTPUT_DIR/report.txt"
lode log artifact report "$LODE_OUTPUT_DIR/report.txt"
printf 'x,name\\n1,a\\n2,b\\n3,\\n' > table.csv
lode log dataset table table.csv --format parquet
rm table.csv
printf 'weights' > model.bin
lode log model churn model.bin --metric auc=0.91 --framework shell
echo done
`

describe('e2e: python and exec handlers', function () {
  this.timeout(120_000)
  let dir: string
  const run = (args: string[], env?: Record<string, string>) => lode(args, {cwd: dir, env})
  const runJson = (args: string[], env?: Record<string, string>) => {
    const cut = args.indexOf('--')
    const r = run(cut < 0 ? [...args, '--json'] : [...args.slice(0, cut), '--json', ...args.slice(cut)], env)
    return {r, out: json(r)}
  }
  const meta = (ref: string) => json(run(['artifacts', 'get', ref, '--json'])).data.artifact
  const logsOf = (uid: string) => run(['runs', 'logs', uid]).stdout
  const completed = (r: CliResult, out: any) => expect(out.data.state, `${JSON.stringify(out.data.error)}\n${r.stderr}`).to.equal('completed')

  before(function () {
    dir = tempDir('lode-e2e-py-')
    expect(run(['init', '--name', 'pyx']).code).to.equal(0)
    const files: Record<string, string> = {
      'make.ts': MAKE_TS, 'train.py': TRAIN_PY, 'predict.py': PREDICT_PY, 'auto.py': AUTO_PY, 'fail.py': FAIL_PY,
      'as_df.py': AS_DF_PY, 'import_pandas.py': IMPORT_PANDAS_PY, 'codes.py': CODES_PY, 'job.sh': JOB_SH,
    }
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
    chmodSync(join(dir, 'job.sh'), 0o755)
    appendFileSync(join(dir, 'lode.yaml'), `functions:\n  build:\n    command: [sh, -c, 'echo built $LODE_PARAM_X']\n`)
    const made = runJson(['run', 'make.ts#make'])
    completed(made.r, made.out)
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  describe(`with pandas and scikit-learn (${PYTHON})`, function () {
    before(function () {
      if (!pythonHas(PYTHON, 'pandas', 'sklearn')) this.skip()
    })

    it('runs an MLRun-style training handler on a parquet dataset; a second run loads the model back', () => {
      const {r, out} = runJson(['run', 'train.py#train', '--python', PYTHON, '-i', 'dataset=training', '-p', 'model_name=forest', '-o', 'my_model'])
      completed(r, out)
      expect(r.code).to.equal(0)
      expect(out.data.results.accuracy).to.be.within(0.7, 1)
      expect(out.data.outputs).to.have.keys('accuracy', 'X_test_dataset', 'my_model')

      // the dataset: stored as parquet (converted from Python's CSV), described like a TypeScript-logged one
      const fromTs = meta('training')
      const fromPy = meta('X_test_dataset')
      expect(fromPy.kind).to.equal('dataset')
      expect(fromPy.format).to.equal('parquet')
      expect(fromPy.meta.dataset.rows).to.equal(50)
      expect(Object.keys(fromPy.meta.dataset).sort()).to.deep.equal(Object.keys(fromTs.meta.dataset).sort())
      expect(fromPy.meta.dataset.schema).to.deep.equal(fromTs.meta.dataset.schema.filter((c: any) => c.name !== 'label'))
      const statKeys = (m: any) => m.meta.dataset.stats.map((s: any) => [s.name, Object.keys(s).sort()])
      expect(statKeys(fromPy)).to.deep.equal(statKeys(fromTs).filter(([name]: [string]) => name !== 'label'))
      expect(fromPy.meta.dataset.preview.columns).to.deep.equal(['a', 'b', 'c'])
      expect(fromPy.meta.dataset.preview.rows).to.have.length(20)
      expect(fromPy.meta.dataset.preview.rows[0]).to.have.length(3)
      const parquet = run(['artifacts', 'get', 'X_test_dataset', '-o', '-'])
      expect(parquet.stdout.slice(0, 4)).to.equal('PAR1')

      // the model: a directory with model.yaml, the pickle, framework and metrics
      const model = meta('my_model')
      expect(model.kind).to.equal('model')
      expect(model.meta.model.modelFile).to.equal('model.pkl')
      expect(model.meta.model.metrics).to.deep.equal({accuracy: out.data.results.accuracy})
      const modelDir = join(dir, 'model-out')
      expect(run(['artifacts', 'get', 'my_model', '-o', modelDir]).code).to.equal(0)
      expect(readdirSync(modelDir).sort()).to.deep.equal(['model.pkl', 'model.yaml'])
      expect(readFileSync(join(modelDir, 'model.yaml'), 'utf8')).to.contain('model_file: model.pkl').and.contain('accuracy:')
      expect(readFileSync(join(modelDir, 'model.pkl')).subarray(0, 1)[0]).to.equal(0x80) // a pickle

      // the training run's logs hold the logger line
      expect(run(['runs', 'logs', out.data.uid, '--events']).stdout).to.contain('trained')

      const second = runJson(['run', 'predict.py#predict', '--python', PYTHON, '-i', 'model=my_model', '-i', 'dataset=training'])
      completed(second.r, second.out)
      expect(second.out.data.results).to.deep.equal({files: 'model.pkl,model.yaml', predicted: 200, model_class: 'RandomForestClassifier'})
    })

    it('auto-logs a scikit-learn classifier with apply_mlrun: model, metrics as results, test set, plots', () => {
      const {r, out} = runJson(['run', 'auto.py#train', '--python', PYTHON, '-i', 'dataset=training', '-o', 'clf'])
      completed(r, out)
      const results = out.data.results
      expect(Object.keys(results).sort()).to.deep.equal(['accuracy', 'auc', 'f1', 'precision', 'recall'])
      for (const v of Object.values(results)) expect(v).to.be.a('number').within(0, 1)
      const model = meta('clf')
      expect(model.meta.model).to.include({framework: 'sklearn', algorithm: 'LogisticRegression', modelFile: 'clf.pkl'})
      expect(model.meta.model.metrics).to.deep.equal(results)
      const testSet = meta('test_set')
      expect(testSet.kind).to.equal('dataset')
      expect(testSet.meta.dataset.rows).to.equal(60)
      expect(testSet.meta.dataset.schema.map((c: any) => c.name)).to.include.members(['a', 'b', 'c'])
      const plots = json(run(['artifacts', 'ls', '--kind', 'plot', '--json'])).data.map((v: any) => v.key).sort()
      expect(plots).to.deep.equal(['confusion-matrix', 'feature-importance', 'roc-curve'])
      const svg = run(['artifacts', 'get', 'confusion-matrix', '-o', '-']).stdout
      expect(svg).to.match(/^(<\?xml[^>]*>\s*)?<svg/)
    })

    it('records a raising handler as an error, with the traceback in the logs', () => {
      const r = run(['run', 'fail.py', '--python', PYTHON, '--json'])
      expect(r.code).to.equal(1)
      const out = json(r)
      expect(out).to.deep.include({ok: false})
      expect(out.error).to.include({code: 'run_failed', exitCode: 1})
      const failedRun = out.error.details.run
      expect(failedRun.state).to.equal('error')
      expect(failedRun.error.message).to.equal('ValueError: bad value 42')
      const logs = logsOf(failedRun.uid)
      expect(logs).to.contain('before the failure')
      expect(logs).to.contain('Traceback (most recent call last)')
      expect(logs).to.match(/fail\.py", line 3, in check/)
      expect(logs).to.contain('ValueError: bad value 42')
      expect(logs).not.to.contain('lode_runner.py') // the stack starts at the handler's frames
      const got = json(run(['runs', 'get', failedRun.uid, '--json'])).data
      expect(got.state).to.equal('error')
      expect(got.error.message).to.equal('ValueError: bad value 42')
      const human = run(['run', 'fail.py', '--python', PYTHON, '-p', 'value=7'])
      expect(human.code).to.equal(1)
      expect(human.stderr).to.contain('bad value 7')
    })

    it('reads a parquet file given as a path, by name or by content, as it reads a parquet dataset', () => {
      expect(run(['artifacts', 'get', 'training', '-o', 'training.parquet']).code).to.equal(0)
      copyFileSync(join(dir, 'training.parquet'), join(dir, 'training-data'))
      for (const file of ['training.parquet', 'training-data']) {
        const {r, out} = runJson(['run', 'as_df.py#load', '--python', PYTHON, '-i', `dataset=${file}`])
        completed(r, out)
        expect(out.data.results.rows).to.equal(meta('training').meta.dataset.rows)
      }
    })

    it('keeps zero-padded codes as strings through the CSV handoff (Python to the store and back)', () => {
      const {r, out} = runJson(['run', 'codes.py#codes', '--python', PYTHON])
      completed(r, out)
      const codes = meta('codes')
      expect(codes.format).to.equal('parquet')
      const schema = Object.fromEntries(codes.meta.dataset.schema.map((c: any) => [c.name, c.dtype]))
      expect(schema.code).to.equal('String')
      expect(schema.n).to.equal('Int64')
      expect(schema.when).to.match(/^Datetime/)
      expect(codes.meta.dataset.preview.rows.map((row: any[]) => row[0])).to.deep.equal(['007', '010', '123'])
      const back = runJson(['run', 'codes.py#read_codes', '--python', PYTHON, '-i', 'codes=codes'])
      completed(back.r, back.out)
      expect(back.out.data.results.codes).to.deep.equal(['007', '010', '123'])
    })
  })

  describe('without pandas (the first python3 on PATH)', function () {
    let bare: string
    before(function () {
      bare = barePython()
      if (!bare || pythonHas(bare, 'pandas')) this.skip()
    })

    it('says what to install when as_df() needs pandas', () => {
      const r = run(['run', 'as_df.py#load', '--python', bare, '-i', 'dataset=training', '--json'])
      expect(r.code).to.equal(1)
      const failedRun = json(r).error.details.run
      expect(failedRun.state).to.equal('error')
      expect(failedRun.error.message).to.contain('needs pandas').and.contain('pip install pandas').and.contain('--python')
      expect(failedRun.error.message).to.contain(bare.split('/').pop())
    })

    it('says what to install when the handler imports pandas itself (interpreter from LODE_PYTHON)', () => {
      const r = run(['run', 'import_pandas.py'], {LODE_PYTHON: bare})
      expect(r.code).to.equal(1)
      expect(r.stderr).to.contain("No module named 'pandas'").and.contain('pip install pandas')
    })
  })

  describe('exec functions and lode log', function () {
    it('runs a shell script that logs progress, results, a file and a dataset with lode log', () => {
      const {r, out} = runJson(['run', 'job.sh'])
      completed(r, out)
      expect(out.data).to.include({kind: 'exec', name: 'job'})
      expect(out.data.results).to.deep.equal({rows: 3, greeting: 'hello world'})
      expect(out.data.outputs).to.have.keys('rows', 'greeting', 'report', 'table', 'churn')
      expect(meta('churn').meta.model).to.include({framework: 'shell', modelFile: 'model.bin'})
      expect(meta('churn').meta.model.metrics).to.deep.equal({auc: 0.91})
      expect(run(['artifacts', 'get', 'report', '-o', '-']).stdout).to.equal('a report\n')
      const table = meta('table')
      expect(table).to.include({kind: 'dataset', format: 'parquet'})
      expect(table.meta.dataset.rows).to.equal(3)
      expect(table.meta.dataset.stats.find((s: any) => s.name === 'name').nulls).to.equal(1)
      const events = json(run(['runs', 'logs', out.data.uid, '--events', '--json'])).data.events as any[]
      expect(events.find((e) => e.t === 'progress')).to.include({fraction: 0.5, message: 'halfway'})
      expect(logsOf(out.data.uid)).to.contain('done')
    })

    it('passes arguments with spaces, quotes, $(...), backticks, ; and * to the program untouched', () => {
      writeFileSync(join(dir, 'in put.txt'), 'x')
      const args = ['a b', `it's`, '"quoted"', '$(echo hi)', '`id`', 'x; rm -rf y', '*', '$HOME', '{inputs.data}', 'n={params.n}', '{params.missing}']
      const {r, out} = runJson(['run', '--kind', 'exec', '-i', 'data=in put.txt', '-p', 'n=5', '--', 'printf', '%s\\n', ...args])
      completed(r, out)
      expect(out.data.name).to.equal('printf')
      const printed = logsOf(out.data.uid).split('\n').slice(0, -1)
      expect(printed).to.deep.equal(['a b', `it's`, '"quoted"', '$(echo hi)', '`id`', 'x; rm -rf y', '*', '$HOME', join(dir, 'in put.txt'), 'n=5', '{params.missing}'])
    })

    it('sets LODE_INPUT_* and LODE_PARAM_*, and the exit status decides the state', () => {
      const env = runJson(['run', '--kind', 'exec', '-i', 'data=make.ts', '-p', 'epochs=3', '-p', 'my-name=x y', '--', 'sh', '-c', 'echo "$LODE_INPUT_DATA|$LODE_PARAM_EPOCHS|$LODE_PARAM_MY_NAME"'])
      completed(env.r, env.out)
      expect(logsOf(env.out.data.uid)).to.equal(`${join(dir, 'make.ts')}|3|x y\n`)
      const failed = run(['run', '--kind', 'exec', '--json', '--', 'sh', '-c', 'echo oops >&2; exit 3'])
      expect(failed.code).to.equal(1)
      expect(json(failed).error.details.run).to.include({state: 'error', exitCode: 3})
      expect(json(failed).error.details.run.error.message).to.contain('exited with code 3')
    })

    it('runs a command: function from lode.yaml by name', () => {
      const {r, out} = runJson(['run', 'build', '-p', 'x=yes'])
      completed(r, out)
      expect(out.data).to.include({kind: 'exec', name: 'build'})
      expect(logsOf(out.data.uid)).to.equal('built yes\n')
    })

    it('fails clearly when lode log runs outside a run', () => {
      const outside = {LODE_RUN_SPEC: '', LODE_EVENT_FD: ''}
      const r = run(['log', 'result', 'x', '1'], outside)
      expect(r.code).to.equal(2)
      expect(r.stderr).to.contain('only inside a running handler').and.contain('lode run')
      const j = run(['log', 'result', 'x', '1', '--json'], outside)
      expect(j.code).to.equal(2)
      expect(json(j).ok).to.equal(false)
    })
  })
})
