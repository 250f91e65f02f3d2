// MLRun's handler decorator, what a handler's return value becomes, params passed as given, the DataItem methods and
// apply_mlrun's parameters and return value, each run the MLRun way through `lode run` and checked in lode's records.
import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {HAS_SKLEARN, fidelityProject, type FidelityProject} from './fidelity-project.ts'

const DECORATED_PY = `
import json
import numpy as np
import pandas as pd
import lode
from sklearn.linear_model import LogisticRegression


class Opaque:
    def __init__(self, n):
        self.n = n


@lode.handler(labels={"framework": "sklearn", "stage": "train"},
              outputs=["model:model", "test_set:dataset", "accuracy", None, "summary:file"])
def train(context, rows: int = 40):
    x = pd.DataFrame({"a": np.arange(rows) % 7, "b": np.arange(rows) % 5})
    y = (x["a"] > 3).astype(int)
    model = LogisticRegression().fit(x, y)
    return model, x.assign(label=y), float(model.score(x, y)), "not logged", {"rows": rows}


@lode.handler(outputs=["df", "arr", "small", "obj", {"key": "named", "artifact_type": "result"}])
def defaults():
    return pd.DataFrame({"v": [1, 2]}), np.arange(20), np.arange(3), Opaque(3), ("a", "b")

`

// no imports: these runs start fast
const PLAIN_PY = `
def scalar():
    return 0.75


def mapping():
    return {"accuracy": 0.9, "layers": [3, 2]}


def falsy():
    return 0


def failed(context):
    context.log_result("seen", 1)
    context.set_state(error="the data had no rows")


def as_given(context, rate: float = 0.1):
    context.log_result("rate_type", type(rate).__name__)
    context.log_result("rate", rate)
`

const DATAITEM_PY = `
import os
from lode import DataItem


def items(context, data: DataItem, model: DataItem, out: str = "written.txt"):
    context.log_result("kind", data.kind)
    context.log_result("meta_none", not data.meta)
    context.log_result("size", data.stat().size)
    context.log_result("model_meta_kind", model.meta.kind)
    df = data.as_df(time_column="when", start_time="2024-01-02", end_time="2024-01-04")
    context.log_result("in_window", df["v"].tolist())
    context.log_result("filtered", data.as_df(additional_filters=[("v", ">=", 3)])["v"].tolist())
    data.show(format="csv")
    target = context.get_dataitem(os.path.abspath(out))
    target.put("one ")
    target.put("two", append=True)
    context.log_result("put", target.get(encoding="utf-8"))
    copy = context.get_dataitem(os.path.abspath("copy.csv"))
    copy.upload(data.local())
    context.log_result("uploaded", copy.get(encoding="utf-8") == data.get(encoding="utf-8"))
    copy.delete()
    context.log_result("deleted", not os.path.exists(copy.local()))
    try:
        model.delete()
    except PermissionError as err:
        context.log_result("store_delete", str(err))
`

const APPLY_PY = `
import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from lode.frameworks.sklearn import apply_mlrun


def data():
    rng = np.random.RandomState(0)
    x = pd.DataFrame({"f1": rng.rand(120), "f2": rng.rand(120)})
    y = pd.Series((x["f1"] + x["f2"] > 1).astype(int), name="target")
    return x[:90], x[90:], y[:90], y[90:]


def balanced_error(y_true, y_pred):
    return float((np.asarray(y_true) != np.asarray(y_pred)).mean())


def train(context):
    x_train, x_test, y_train, y_test = data()
    model = RandomForestClassifier(n_estimators=5, random_state=0)
    handler = apply_mlrun(model=model, model_name="rf", tag="candidate", x_test=x_test, y_test=y_test,
                          metrics=["accuracy_score", balanced_error], artifacts=["ConfusionMatrixPlan"], auto_log=False,
                          labels={"owner": "fidelity"}, parameters={"note": "small"},
                          sample_set=x_train.assign(target=y_train), y_columns=["target"])
    model.fit(x_train, y_train)
    context.log_result("handler_model_is_model", handler.model is model)
    context.log_result("handler_name", handler.model_name)
    context.log_result("model_path", handler.model_path)
    context.log_result("forwards", handler.n_estimators)


def evaluate(context, model_path: str = ""):
    x_train, x_test, y_train, y_test = data()
    handler = apply_mlrun(model_path=model_path, x_test=x_test, y_test=y_test)
    handler.model.predict(x_test)
    context.log_result("evaluated_path", handler.model_path)


def custom_objects(context):
    apply_mlrun(model=RandomForestClassifier(), modules_map={"mymodule": None})
`

const describeSklearn = HAS_SKLEARN ? describe : describe.skip
describeSklearn('fidelity: @lode.handler, returned values, DataItem and apply_mlrun (needs pandas and scikit-learn)', function () {
  this.timeout(240_000)
  let p: FidelityProject
  let trained: any
  before(() => {
    p = fidelityProject()
    p.write('decorated.py', DECORATED_PY)
    p.write('plain.py', PLAIN_PY)
    p.write('dataitem.py', DATAITEM_PY)
    p.write('apply.py', APPLY_PY)
    p.write('series.csv', 'when,v\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3\n2024-01-04,4\n2024-01-05,5\n')
    trained = p.completed('decorated.py#train')
  })
  after(() => p.remove())

  it('@lode.handler sets its labels and logs the returned values by the names and kinds of its outputs', () => {
    const run = trained
    expect(run.labels).to.deep.include({framework: 'sklearn', stage: 'train'})
    expect(run.results).to.have.keys(['accuracy'])
    expect(run.results.accuracy).to.be.a('number').within(0.5, 1)
    expect(p.artifact('model').kind).to.equal('model')
    expect(p.artifact('model').meta.model).to.include({framework: 'sklearn', algorithm: 'LogisticRegression', modelFile: 'model.pkl'})
    expect(p.artifact('test_set').kind).to.equal('dataset')
    expect(p.artifact('test_set').meta.dataset.rows).to.equal(40)
    expect(p.artifact('summary')).to.include({kind: 'artifact', format: 'json'})
  })

  it('without a kind, outputs are logged as MLRun logs them: frames as datasets, arrays as files or results, objects pickled', () => {
    const run = p.completed('decorated.py#defaults')
    expect(run.results).to.deep.equal({small: [0, 1, 2], named: ['a', 'b']})
    expect(p.artifact('df').kind).to.equal('dataset')
    expect(p.artifact('arr').format).to.equal('npy')
    expect(p.artifact('obj').format).to.equal('pkl')
  })

  it('a returned value is one result named return, as MLRun logs it; a falsy one is not logged', () => {
    expect(p.completed('plain.py#scalar').results).to.deep.equal({return: 0.75})
    expect(p.completed('plain.py#mapping').results).to.deep.equal({return: {accuracy: 0.9, layers: [3, 2]}})
    expect(p.completed('plain.py#falsy').results).to.deep.equal({})
  })

  it('context.set_state(error=...) fails the run with that message, as in MLRun', () => {
    const {out} = p.run('plain.py#failed')
    expect(out.ok).to.equal(false)
    expect(out.error.message).to.include('the data had no rows')
    expect(out.error.details.run.results).to.deep.equal({seen: 1})
  })

  it('a param its hint does not fit is passed as given (as MLRun), with a warning on the run', () => {
    const run = p.completed('plain.py#as_given', ['-p', 'rate=[0.1,0.2]'])
    expect(run.results).to.deep.equal({rate_type: 'list', rate: [0.1, 0.2]})
    expect(run.warnings.join('\n')).to.match(/Parameter 'rate' expects float.*passed as given/)
  })

  it('DataItem: kind, meta, stat().size, show(format=), as_df(time_column=...), put, upload, delete as MLRun has them', () => {
    const run = p.completed('dataitem.py#items', ['-i', 'data=series.csv', '-i', `model=model@${trained.uid}`])
    expect(run.results).to.deep.include({kind: 'file', meta_none: true, size: readFileSync(join(p.dir, 'series.csv')).length,
      model_meta_kind: 'model', put: 'one two', uploaded: true, deleted: true})
    expect(run.results.in_window).to.deep.equal([3, 4])
    expect(run.results.filtered).to.deep.equal([3, 4, 5])
    expect(run.results.store_delete).to.match(/is an artifact in lode's store; its versions never change/)
    expect(readFileSync(join(p.dir, 'written.txt'), 'utf8')).to.equal('one two')
    expect(existsSync(join(p.dir, 'copy.csv'))).to.equal(false)
    // show() printed the table into the run's output
    expect(p.cli(['runs', 'logs', run.uid]).stdout).to.match(/2024-01-05\s+5/)
  })

  it('apply_mlrun takes MLRun\'s parameters (tag, metrics, artifacts, auto_log, labels, parameters, sample_set, y_columns) and returns a model handler', () => {
    const run = p.completed('apply.py#train')
    expect(run.results).to.deep.include({handler_model_is_model: true, handler_name: 'rf', forwards: 5})
    expect(Object.keys(run.results).filter((k) => !k.startsWith('handler') && k !== 'model_path' && k !== 'forwards').sort())
      .to.deep.equal(['accuracy_score', 'balanced_error'])
    expect(run.results.model_path).to.equal(`store://models/fid/rf:candidate@${run.uid}`)
    const rf = p.artifact('rf:candidate')
    expect(rf.labels).to.deep.equal({framework: 'sklearn', owner: 'fidelity'})
    expect(rf.meta.model.parameters).to.include({note: 'small', n_estimators: 5})
    expect(rf.meta.model.metrics).to.have.keys(['accuracy_score', 'balanced_error'])
    expect(rf.meta.model.outputs.map((c: any) => c.name)).to.deep.equal(['target'])
    expect(rf.meta.model.inputs.map((c: any) => c.name)).to.deep.equal(['f1', 'f2'])
    // artifacts=[ConfusionMatrixPlan] with auto_log=False: that plot only, no test set
    expect(Object.keys(run.outputs).filter((k) => !(k in run.results)).sort()).to.deep.equal(['confusion-matrix', 'rf'])

    const evaluated = p.completed('apply.py#evaluate', ['-p', `model_path=${run.results.model_path}`])
    expect(evaluated.results.accuracy).to.be.a('number')
    const again = p.artifact(evaluated.results.evaluated_path)
    expect(again.producer).to.equal(evaluated.uid)
    expect(again.meta.model.metrics.accuracy).to.equal(evaluated.results.accuracy)
    expect(again.meta.model.modelFile).to.equal('rf.pkl')
  })

  it('apply_mlrun refuses modules_map (lode loads pickles with their modules imported) with a clear message', () => {
    const {out} = p.run('apply.py#custom_objects')
    expect(out.ok).to.equal(false)
    expect(out.error.message).to.match(/apply_mlrun: modules_map= is not used by lode/)
  })
})
