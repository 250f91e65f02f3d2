// What MLRun's log_* return and take (artifact objects with .uri .key .tag .to_dict()), and the context's other
// MLRun names (artifact_subpath, set_annotation, get_project_param, mlconf, get_dataitem/get_store_resource on
// store:// addresses, parameters as a copy), run through `lode run` and checked against what lode recorded.
import {expect} from 'chai'
import {appendFileSync, existsSync} from 'node:fs'
import {join} from 'node:path'
import {HAS_SKLEARN, fidelityProject, type FidelityProject} from './fidelity-project.ts'

const PRODUCE_PY = `
import pickle
import pandas as pd
import lode
from lode import mlconf
from lode.artifacts import Artifact, DatasetArtifact, ModelArtifact, PlotlyArtifact


class Figure:  # stands in for a plotly figure: what PlotlyArtifact reads of it is to_html()
    def to_html(self):
        return "<div>figure</div>"


def produce(context, n: int = 3):
    params = context.parameters
    params["n"] = 99
    context.log_result("params_copied", context.get_param("n") == 3)
    context.log_result("subpath", context.artifact_subpath("a", "b") == context.artifact_path + "/a/b")
    context.set_annotation("comment", "trained on the small set")
    context.log_result("annotations", context.annotations)
    context.log_result("project_param", context.get_project_param("threshold", 0.5))
    context.log_result("missing_project_param", context.get_project_param("nothing", "dflt"))
    context.log_result("mlconf_project", mlconf.default_project == context.project)
    context.log_result("mlconf_path", mlconf.artifact_path == context.artifact_path)
    try:
        mlconf.httpdb.api_url
    except AttributeError as err:
        context.log_result("mlconf_missing", str(err))

    notes = context.log_artifact(Artifact(key="notes", body="hello notes"), tag="t1")
    fig = context.log_artifact(PlotlyArtifact(key="fig", figure=Figure()))
    df = pd.DataFrame({"a": [1, 2, 3], "label": [0, 1, 0]})
    table = context.log_dataset("table", df=df, format="csv", tag="gold")
    model = context.log_artifact(ModelArtifact("clf", body=pickle.dumps({"k": 1}), model_file="clf.pkl",
                                               metrics={"acc": 0.75}, framework="sklearn"))
    wrapped = context.log_artifact(DatasetArtifact("wrapped", df=df), format="csv")
    context.log_results({
        "notes_uri": notes.uri, "notes_tag": notes.tag, "notes_key": notes.key,
        "fig_kind": fig.kind, "fig_uri": fig.uri,
        "table_uri": table.uri, "table_cls": type(table).__name__,
        "table_dict_key": table.to_dict()["metadata"]["key"], "table_base_kind": table.base_dict()["kind"],
        "table_target_exists": __import__("os").path.isfile(table.target_path),
        "model_uri": model.uri, "model_file": model.model_file, "model_metrics": model.metrics,
        "wrapped_uri": wrapped.uri, "is_lode_artifact": isinstance(notes, lode.LoggedArtifact),
        "listed": sorted(a["metadata"]["key"] for a in context.artifacts),
    })
`

const CONSUME_PY = `
from lode.execution import MLClientCtx
from lode.datastore import DataItem
from lode.artifacts import DatasetArtifact, ModelArtifact


def consume(context: MLClientCtx, model: DataItem, table_uri: str = ""):
    item = context.get_dataitem(table_uri)
    df = item.as_df()
    resource = context.get_store_resource(table_uri)
    context.log_results({
        "rows": len(df), "columns": list(df.columns), "item_kind": item.kind,
        "resource_is_dataset": isinstance(resource, DatasetArtifact), "resource_header": resource.header,
        "model_meta_is_model": isinstance(model.meta, ModelArtifact), "model_file": model.meta.model_file,
        "model_metrics": model.meta.metrics, "model_kind": model.kind, "model_uri": model.meta.uri,
    })


def feature_vector(context: MLClientCtx):
    context.get_store_resource("store://feature-vectors/fid/my-vector")
`

const describePandas = HAS_SKLEARN ? describe : describe.skip
describePandas('fidelity: artifact objects and the context\'s MLRun names (needs pandas)', function () {
  this.timeout(180_000)
  let p: FidelityProject
  let produced: any
  before(() => {
    p = fidelityProject()
    appendFileSync(join(p.dir, 'lode.yaml'), 'params:\n  threshold: 0.7\n')
    p.write('produce.py', PRODUCE_PY)
    p.write('consume.py', CONSUME_PY)
    produced = p.completed('produce.py#produce', ['-p', 'n=3'])
  })
  after(() => p.remove())

  it('parameters is a copy; artifact_subpath, set_annotation, get_project_param and mlconf answer as in MLRun', () => {
    const r = produced.results
    expect(r).to.deep.include({params_copied: true, subpath: true, project_param: 0.7, missing_project_param: 'dflt',
      mlconf_project: true, mlconf_path: true})
    expect(r.annotations).to.deep.equal({comment: 'trained on the small set'})
    expect(r.mlconf_missing).to.match(/^lode\.mlconf\.httpdb: lode has no such setting/)
    expect(p.cli(['runs', 'logs', produced.uid]).stdout).to.include('annotation comment = trained on the small set')
  })

  it('log_artifact takes Artifact objects; log_* return objects whose uri addresses what lode stored', () => {
    const r = produced.results
    const uid = produced.uid
    expect(r.notes_uri).to.equal(`store://artifacts/fid/notes:t1@${uid}`)
    expect(r).to.deep.include({notes_tag: 't1', notes_key: 'notes', fig_kind: 'plotly', table_cls: 'DatasetArtifact',
      table_dict_key: 'table', table_base_kind: 'dataset', table_target_exists: true, model_file: 'clf.pkl',
      is_lode_artifact: true})
    expect(r.model_metrics).to.deep.equal({acc: 0.75})
    expect(r.table_uri).to.equal(`store://datasets/fid/table:gold@${uid}`)
    expect(r.model_uri).to.equal(`store://models/fid/clf@${uid}`)
    expect(r.listed).to.deep.equal(['clf', 'fig', 'notes', 'table', 'wrapped'])
    for (const uri of [r.notes_uri, r.fig_uri, r.table_uri, r.model_uri, r.wrapped_uri]) {
      const stored = p.artifact(uri)
      expect(stored, uri).to.not.equal(undefined)
      expect(stored.producer).to.equal(uid)
    }
    expect(p.artifact(r.fig_uri)).to.include({kind: 'plot', format: 'html'})
    expect(p.artifact(r.model_uri).meta.model).to.include({framework: 'sklearn', modelFile: 'clf.pkl'})
    expect(p.artifact(r.wrapped_uri)).to.include({kind: 'dataset', format: 'csv'})
  })

  it('get_dataitem and get_store_resource read store:// addresses; an input\'s .meta is its artifact object', () => {
    const r = produced.results
    const run = p.completed('consume.py#consume', ['-i', `model=${r.model_uri}`, '-p', `table_uri=${r.table_uri}`])
    expect(run.results).to.deep.include({rows: 3, item_kind: 'file', resource_is_dataset: true, model_meta_is_model: true,
      model_file: 'clf.pkl', model_kind: 'file', model_uri: r.model_uri})
    expect(run.results.columns).to.deep.equal(['a', 'label'])
    expect(run.results.resource_header).to.deep.equal(['a', 'label'])
    expect(run.results.model_metrics).to.deep.equal({acc: 0.75})
    // nothing fetched is left behind, and nothing fetched was stored
    expect(existsSync(join(p.dir, '.lode', 'runs', run.uid, 'staging'))).to.equal(false)
    expect(Object.keys(run.outputs)).to.deep.equal(Object.keys(run.results))
  })

  it('a feature vector address gets the one error naming what lode does not provide', () => {
    const {out} = p.run('consume.py#feature_vector')
    expect(out.ok).to.equal(false)
    expect(out.error.message).to.match(/lode does not provide MLRun's feature store/)
  })
})
