// Handlers written the way MLRun's documentation, tests and function hub write them (our own words), with only
// `mlrun` renamed to `lode`, run through `lode run`: each records the artifacts, tags, results and labels MLRun would.
import {expect} from 'chai'
import {HAS_SKLEARN, fidelityProject, type FidelityProject} from './fidelity-project.ts'

// one file, as a project's functions file would hold them; heavy imports inside the handlers that need them
const HANDLERS_PY = `
import os
import pickle

import lode
from lode.artifacts import PlotlyArtifact, update_model
from lode.datastore import DataItem
from lode.execution import MLClientCtx


# the first handler of MLRun's docs: results, a label, artifacts from bodies with a local file name
def my_job(context: MLClientCtx, p1: int = 1, p2: str = "x"):
    context.logger.info(f"running my_job with p1={p1}, p2={p2}")
    context.log_result("accuracy", p1 * 2)
    context.log_result("loss", p1 * 3)
    context.set_label("framework", "sklearn")
    context.log_artifact("model", body=b"abc is 123", local_path="model.txt", labels={"framework": "xgboost"})
    context.log_artifact("html_result", body=b"<b> Some HTML <b>", local_path="result.html")


# data prep as in MLRun's getting-started: clean a frame, log it as a dataset, count rows
def prep_data(context: MLClientCtx, source_url: DataItem, label_column: str = "label"):
    df = source_url.as_df()
    df = df.dropna()
    context.log_dataset("cleaned_data", df=df, index=False, format="csv")
    context.log_result("num_rows", len(df))
    return len(df)


# a tutorial's decorated data getter: the returned frame and name logged by the outputs given
@lode.handler(outputs=["dataset:dataset", "label_column"])
def get_data(rows: int = 60):
    import pandas as pd

    df = pd.DataFrame({"x1": [i % 9 for i in range(rows)], "x2": [(i * 7) % 11 for i in range(rows)]})
    df["label"] = ((df["x1"] + df["x2"]) > 9).astype(int)
    return df, "label"


# training with apply_mlrun, as the sklearn framework docs show it
def train_model(context: MLClientCtx, dataset: DataItem, label_column: str = "label", n_estimators: int = 10):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import train_test_split
    from lode.frameworks.sklearn import apply_mlrun

    df = dataset.as_df()
    x = df.drop(label_column, axis=1)
    y = df[label_column]
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=0)
    model = RandomForestClassifier(n_estimators=n_estimators, random_state=0)
    apply_mlrun(model=model, model_name="my_model", x_test=x_test, y_test=y_test, tag="candidate")
    model.fit(x_train, y_train)


# the log_model example of MLRun's reference: metrics from the context's results, schema from the training set
def train_manual(context: MLClientCtx, dataset: DataItem, label_column: str = "label"):
    from sklearn.linear_model import LogisticRegression

    df = dataset.as_df()
    model = LogisticRegression().fit(df.drop(columns=[label_column]), df[label_column])
    context.log_result("accuracy", float(model.score(df.drop(columns=[label_column]), df[label_column])))
    context.log_model("fraud_model", body=pickle.dumps(model), model_file="model.pkl", metrics=context.results,
                      training_set=df, label_column=label_column, labels={"app": "fraud"}, tag="prod",
                      framework="sklearn", algorithm="LogisticRegression")


# evaluation: the model arrives as an input; its artifact object tells where the model file is
def evaluate(context: MLClientCtx, model: DataItem, dataset: DataItem, label_column: str = "label"):
    df = dataset.as_df()
    spec = model.meta
    with open(os.path.join(model.local(), spec.model_file), "rb") as f:
        clf = pickle.load(f)
    score = float(clf.score(df.drop(columns=[label_column]), df[label_column]))
    context.log_result("eval_accuracy", score)
    updated = update_model(spec, metrics={"accuracy": score}, key_prefix="eval-", labels={"evaluated": "yes"})
    context.log_result("updated_uri", updated.uri)


# describe, as the hub's describe function: statistics as a dataset (its index kept), one result per column
def describe(context: MLClientCtx, table: DataItem):
    df = table.as_df()
    summary = df.describe()
    context.log_dataset("summary", df=summary, format="csv")
    for column in df.columns:
        context.log_result(f"mean_{column}", float(df[column].mean()))


# a handler that takes the context from get_or_create_ctx, as scripts written for MLRun jobs do
def script_style():
    context = lode.get_or_create_ctx("script")
    context.log_result("p", context.get_param("p", 5))
    context.set_label("kind", "script")


# inputs read through the context by name, with **kwargs taking the rest
def by_name(context, **kwargs):
    df = context.get_input("table").as_df()
    context.log_result("columns", list(df.columns))
    context.log_result("extra", sorted(kwargs))


# plots: a plotly figure wrapped in PlotlyArtifact, and a file written under artifact_subpath
class _Figure:
    def to_html(self):
        return "<div>a chart</div>"


def plots(context: MLClientCtx):
    context.log_artifact(PlotlyArtifact(key="chart", figure=_Figure()))
    folder = context.artifact_subpath("plots")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "hist.html")
    with open(path, "w") as f:
        f.write("<p>histogram</p>")
    context.log_artifact("hist", local_path=path, tag="weekly")


# a directory artifact, as handlers that write many files log them
def images(context: MLClientCtx, count: int = 3):
    folder = context.artifact_subpath("images")
    os.makedirs(folder, exist_ok=True)
    for i in range(count):
        with open(os.path.join(folder, f"img{i}.txt"), "w") as f:
            f.write(str(i))
    context.log_artifact("images", local_path=folder, upload=True)


# a value handler: MLRun records what it returns as the result "return"
def square(x: int = 3):
    return x * x


# a store:// address read inside the handler, as get_dataitem reads it in MLRun
def read_store(context: MLClientCtx, uri: str = ""):
    df = lode.get_dataitem(uri).as_df()
    context.log_result("rows", len(df))
    context.log_result("first_label", int(df["label"].iloc[0]))


# MLRun's child contexts: one iteration per param, the best marked, the summary logged
def iterations(context: MLClientCtx, rates: list = [0.1, 0.5, 0.3]):
    best = -1.0
    for rate in rates:
        with context.get_child_context(rate=rate) as child:
            accuracy = 1 - abs(0.5 - child.get_param("rate"))
            child.log_result("accuracy", accuracy)
            child.log_artifact("weights", body=f"rate={rate}")
            if accuracy > best:
                child.mark_as_best()
                best = accuracy
    context.update_child_iterations(best_run=2)
    context.log_result("children", len(rates))


# dataset logging with a tag and labels, then the same key again: the tag stays with the first
def versions(context: MLClientCtx, tag: str = ""):
    import pandas as pd

    data = context.log_dataset("daily", df=pd.DataFrame({"n": [1, 2, 3]}), tag=tag, labels={"source": "sensor"},
                               format="csv")
    context.log_result("uri", data.uri)
`

const describeSklearn = HAS_SKLEARN ? describe : describe.skip
describeSklearn('fidelity: MLRun-style handlers, import renamed, through lode run (needs pandas and scikit-learn)', function () {
  this.timeout(300_000)
  let p: FidelityProject
  let data: any
  before(() => {
    p = fidelityProject()
    p.write('handlers.py', HANDLERS_PY)
    p.write('raw.csv', 'a,b,label\n1,2,0\n3,,1\n5,6,1\n7,8,0\n')
    data = p.completed('handlers.py#get_data')
  })
  after(() => p.remove())

  it('my_job: results, a run label, artifacts with their labels and file names', () => {
    const run = p.completed('handlers.py#my_job', ['-p', 'p1=4', '-p', 'p2=y'])
    expect(run.results).to.deep.equal({accuracy: 8, loss: 12})
    expect(run.labels).to.deep.include({framework: 'sklearn'})
    expect(p.artifact('model')).to.include({format: 'txt', size: 10})
    expect(p.artifact('model').labels).to.deep.equal({framework: 'xgboost'})
    expect(p.artifact('html_result').format).to.equal('html')
    expect(p.cli(['runs', 'logs', run.uid]).stdout).to.include('running my_job with p1=4, p2=y')
  })

  it('prep_data: a cleaned dataset and a row count, and the returned count as "return"', () => {
    const run = p.completed('handlers.py#prep_data', ['-i', 'source_url=raw.csv'])
    expect(run.results).to.deep.equal({num_rows: 3, return: 3})
    const cleaned = p.artifact('cleaned_data')
    expect(cleaned).to.include({kind: 'dataset', format: 'csv'})
    expect(cleaned.meta.dataset.rows).to.equal(3)
  })

  it('get_data (@handler outputs): the dataset and the label column name', () => {
    expect(data.results).to.deep.equal({label_column: 'label'})
    expect(p.artifact('dataset').meta.dataset.rows).to.equal(60)
  })

  it('train_model (apply_mlrun): the tagged model, its metrics as results, test set and plots', () => {
    const run = p.completed('handlers.py#train_model', ['-i', `dataset=dataset@${data.uid}`, '-p', 'n_estimators=5'])
    expect(run.results).to.have.keys(['accuracy', 'f1', 'precision', 'recall', 'auc'])
    const model = p.artifact('my_model:candidate')
    expect(model.producer).to.equal(run.uid)
    expect(model.labels).to.deep.equal({framework: 'sklearn'})
    expect(model.meta.model).to.include({framework: 'sklearn', algorithm: 'RandomForestClassifier', modelFile: 'my_model.pkl'})
    expect(Object.keys(run.outputs)).to.include.members(['test_set', 'confusion-matrix', 'roc-curve', 'feature-importance'])
  })

  it('train_manual + evaluate: log_model with training_set, tag and labels; update_model logs the evaluated version', () => {
    const trained = p.completed('handlers.py#train_manual', ['-i', `dataset=dataset@${data.uid}`])
    const model = p.artifact('fraud_model:prod')
    expect(model.labels).to.deep.equal({app: 'fraud'})
    expect(model.meta.model.metrics).to.deep.equal({accuracy: trained.results.accuracy})
    expect(model.meta.model.inputs.map((c: any) => c.name)).to.deep.equal(['x1', 'x2'])
    expect(model.meta.model.outputs.map((c: any) => c.name)).to.deep.equal(['label'])
    const run = p.completed('handlers.py#evaluate', ['-i', 'model=fraud_model:prod', '-i', `dataset=dataset@${data.uid}`])
    const evaluated = p.artifact(run.results.updated_uri)
    expect(evaluated.producer).to.equal(run.uid)
    expect(evaluated.meta.model.metrics).to.deep.equal({'accuracy': trained.results.accuracy, 'eval-accuracy': run.results.eval_accuracy})
    expect(evaluated.labels).to.deep.equal({app: 'fraud', evaluated: 'yes'})
    // the prod tag stays on the version that was tagged; latest moves to the evaluated one
    expect(p.artifact('fraud_model:prod').producer).to.equal(trained.uid)
    expect(p.artifact('fraud_model:latest').producer).to.equal(run.uid)
  })

  it('describe: statistics with their index as a column, a mean per column', () => {
    const run = p.completed('handlers.py#describe', ['-i', 'table=raw.csv'])
    expect(run.results).to.deep.equal({mean_a: 4, mean_b: 16 / 3, mean_label: 0.5})
    const summary = p.artifact('summary')
    expect(summary.meta.dataset.schema.map((c: any) => c.name)).to.deep.equal(['index', 'a', 'b', 'label'])
    expect(summary.meta.dataset.rows).to.equal(8)
  })

  it('script_style (get_or_create_ctx) and by_name (get_input, **kwargs)', () => {
    const script = p.completed('handlers.py#script_style', ['-p', 'p=9'])
    expect(script.results).to.deep.equal({p: 9})
    expect(script.labels).to.deep.include({kind: 'script'})
    const named = p.completed('handlers.py#by_name', ['-i', 'table=raw.csv', '-p', 'other=1'])
    expect(named.results).to.deep.equal({columns: ['a', 'b', 'label'], extra: ['other', 'table']})
  })

  it('plots and images: a PlotlyArtifact, a tagged file under artifact_subpath, a directory', () => {
    const run = p.completed('handlers.py#plots')
    expect(p.artifact('chart')).to.include({kind: 'plot', format: 'html'})
    expect(p.artifact('hist:weekly').producer).to.equal(run.uid)
    p.completed('handlers.py#images', ['-p', 'count=3'])
    const images = p.artifact('images')
    expect(images.kind).to.equal('dir')
    expect(images.meta.files.map((f: any) => f.path).sort()).to.deep.equal(['img0.txt', 'img1.txt', 'img2.txt'])
  })

  it('square returns a value: one result named return', () => {
    expect(p.completed('handlers.py#square', ['-p', 'x=7']).results).to.deep.equal({return: 49})
  })

  it('iterations: child contexts log iteration N artifacts, the best child\'s results and artifacts become the run\'s', () => {
    const run = p.completed('handlers.py#iterations')
    expect(run.results).to.deep.equal({best_iteration: 2, accuracy: 1, children: 3})
    for (const [iter, rate] of [[1, 0.1], [2, 0.5], [3, 0.3]] as const) {
      const version = p.artifact(`weights#${iter}@${run.uid}`)
      expect(version.iter).to.equal(iter)
      expect(version.size).to.equal(`rate=${rate}`.length)
    }
    expect(p.artifact(`weights#0@${run.uid}`)).to.include({iter: 0, size: 'rate=0.5'.length})
    const table = p.artifact('iteration_results')
    expect(table.meta.dataset.rows).to.equal(3)
    expect(table.meta.dataset.schema.map((c: any) => c.name)).to.deep.equal(['param.rate', 'output.accuracy', 'state', 'iter'])
  })

  it('read_store and versions: a store:// address read in the handler; a tag stays with its version', () => {
    const cleaned = p.artifact('cleaned_data')
    const read = p.completed('handlers.py#read_store', ['-p', `uri=${cleaned.uri}`])
    expect(read.results).to.deep.equal({rows: 3, first_label: 0})
    const first = p.completed('handlers.py#versions', ['-p', 'tag=monday'])
    expect(first.results.uri).to.equal(`store://datasets/fid/daily:monday@${first.uid}`)
    const second = p.completed('handlers.py#versions')
    expect(second.results.uri).to.equal(`store://datasets/fid/daily@${second.uid}`)
    expect(p.artifact('daily:monday').producer).to.equal(first.uid)
    expect(p.artifact('daily:monday').labels).to.deep.equal({source: 'sensor'})
    expect(p.artifact('daily').producer).to.equal(second.uid)
  })
})
