// MLRun's tag= and the other keywords of log_artifact / log_dataset / log_model under `lode run`: each one does what
// MLRun does with it (the tagged versions appear in the store) or fails the run with a message saying why.
import {expect} from 'chai'
import {readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {HAS_SKLEARN, fidelityProject, type FidelityProject} from './fidelity-project.ts'

const TAGS_PY = `
import pickle
import pandas as pd
from lode.execution import MLClientCtx


def log_tagged(context: MLClientCtx, tag: str = "prod", note: str = "one"):
    context.log_artifact("report", body=f"<p>{note}</p>", format="html", tag=tag)
    df = pd.DataFrame({"a": [1, 2, 3], "b": [0.5, 1.5, 2.5]})
    context.log_dataset("table", df=df, tag=tag, format="csv")
    context.log_model("model", body=pickle.dumps({"w": note}), model_file="model.pkl", tag=tag, metrics={"acc": 0.9})


def log_untagged(context: MLClientCtx):
    context.log_artifact("report", body="<p>two</p>", format="html")


def bad_tag(context: MLClientCtx, tag: str = "v3"):
    context.log_artifact("report", body="x", tag=tag)
`

const KEYWORDS_PY = `
import os
import pickle
from lode.execution import MLClientCtx


def where(context: MLClientCtx, out: str = "exported/report.txt"):
    import pandas as pd
    sub = context.log_artifact("sub", body="in a sub folder", artifact_path=context.artifact_subpath("data"))
    context.log_result("sub_in_data", os.path.dirname(sub.target_path) == context.artifact_subpath("data"))
    target = os.path.abspath(out)
    there = context.log_artifact("there", body="at the target", target_path=target)
    context.log_result("target_written", open(target).read() == "at the target" and there.target_path == target)
    chart = context.log_artifact("chart", body="<svg xmlns='http://www.w3.org/2000/svg'/>", format="html", viewer="chart")
    context.log_result("chart_viewer", chart.viewer)
    df = pd.DataFrame({"x": [1, 2, 3], "y": [0, 1, 0]}, index=pd.Index([10, 20, 30]))
    context.log_dataset("labelled", df=df, label_column="y", index=True, format="csv")
    context.log_dataset("no_index", df=df, index=False, format="csv")
    context.log_model("fv_model", body=pickle.dumps(1), model_file="m.pkl", feature_vector="store://feature-vectors/p/vec",
                      feature_weights=[0.2, 0.8], training_set=df, label_column="y")
    context.log_artifact("uploaded", body="kept anyway", upload=False)


def remote_path(context: MLClientCtx):
    context.log_artifact("x", body="b", artifact_path="s3://bucket/artifacts")


def outside_path(context: MLClientCtx):
    context.log_artifact("x", body="b", artifact_path="/tmp")


def remote_target(context: MLClientCtx):
    import pandas as pd
    context.log_dataset("x", df=pd.DataFrame({"a": [1]}), target_path="v3io:///projects/x.parquet")


def dataset_extra(context: MLClientCtx):
    import pandas as pd
    context.log_dataset("x", df=pd.DataFrame({"a": [1]}), extra_data={"readme": b"about"})


def no_record(context: MLClientCtx):
    context.log_artifact("x", body="b", db_key=False)


def unknown_keyword(context: MLClientCtx):
    context.log_artifact("x", body="b", colour="red")
`

const describePandas = HAS_SKLEARN ? describe : describe.skip
describePandas('fidelity: tag= and the other MLRun keywords of log_* (needs pandas)', function () {
  this.timeout(180_000)
  let p: FidelityProject
  before(() => {
    p = fidelityProject()
    p.write('tags.py', TAGS_PY)
    p.write('keywords.py', KEYWORDS_PY)
  })
  after(() => p.remove())

  it('tag= on log_artifact, log_dataset and log_model tags the versions; the tag stays when a later run logs untagged', () => {
    const first = p.completed('tags.py#log_tagged', ['-p', 'tag=prod', '-p', 'note=one'])
    for (const key of ['report', 'table', 'model']) {
      const tagged = p.artifact(`${key}:prod`)
      expect(tagged, key).to.not.equal(undefined)
      expect(tagged.producer).to.equal(first.uid)
      expect(tagged.tags).to.include.members(['latest', 'prod'])
    }
    p.completed('tags.py#log_untagged')
    expect(p.artifact('report:prod').producer).to.equal(first.uid)
    expect(p.artifact('report:latest').producer).to.not.equal(first.uid)
    // the same tag given by a later run moves to that run's version, as in MLRun
    const third = p.completed('tags.py#log_tagged', ['-p', 'tag=prod', '-p', 'note=three'])
    expect(p.artifact('model:prod').producer).to.equal(third.uid)
    expect(p.artifact(`store://models/fid/model:prod@${third.uid}`).key).to.equal('model')
  })

  it('any process of a run may tag through the protocol: an artifact event\'s tag; a tag lode cannot take is refused with a warning', () => {
    p.write('good.txt', 'good')
    p.write('bad.txt', 'bad')
    const line = (key: string, file: string, tag: string) => `{"t":"artifact","key":"${key}","kind":"artifact","path":"${join(p.dir, file)}","tag":"${tag}"}`
    const r = p.cli(['run', '--kind', 'exec', '--json', '--', 'sh', '-c', `echo '${line('shell', 'good.txt', 'nightly')}' >&3; echo '${line('shell2', 'bad.txt', 'latest')}' >&3`])
    const out = JSON.parse(r.stdout)
    expect(out.ok, r.stderr).to.equal(true)
    expect(p.artifact('shell:nightly').producer).to.equal(out.data.uid)
    expect(out.data.warnings.join('\n')).to.match(/artifact "shell2": "tag" must be a tag/)
  })

  it('a tag lode cannot take (v3 names a version) fails the run saying why, and stores nothing under it', () => {
    const {out} = p.run('tags.py#bad_tag', ['-p', 'tag=v3'])
    expect(out.ok).to.equal(false)
    expect(out.error.message).to.match(/invalid tag 'v3'/)
    expect(out.error.message).to.match(/version numbers/)
  })

  it('artifact_path (under the run), target_path (local), viewer, label_column, index, feature_vector, upload do what MLRun does', () => {
    const run = p.completed('keywords.py#where', ['-p', `out=${join(p.dir, 'exported', 'report.txt')}`])
    expect(run.results).to.deep.include({sub_in_data: true, target_written: true, chart_viewer: 'chart'})
    expect(p.artifact('sub').producer).to.equal(run.uid)
    // target_path: the file is where the handler asked, and lode stored a copy of it
    expect(readFileSync(join(p.dir, 'exported', 'report.txt'), 'utf8')).to.equal('at the target')
    expect(p.artifact('there').size).to.equal('at the target'.length)
    expect(p.artifact('chart').kind).to.equal('plot')
    const labelled = p.artifact('labelled')
    expect(labelled.labels).to.deep.equal({label_column: 'y'})
    expect(labelled.meta.dataset.schema.map((c: any) => c.name)).to.deep.equal(['index', 'x', 'y'])
    expect(p.artifact('no_index').meta.dataset.schema.map((c: any) => c.name)).to.deep.equal(['x', 'y'])
    const model = p.artifact('fv_model').meta.model
    expect(model.featureVector).to.equal('store://feature-vectors/p/vec')
    expect(model.featureWeights).to.deep.equal([0.2, 0.8])
    expect(model.inputs.map((c: any) => c.name)).to.deep.equal(['x'])
    expect(model.outputs.map((c: any) => c.name)).to.deep.equal(['y'])
    // upload=False cannot leave the file out of the store: stored, and the run's log says so
    expect(p.artifact('uploaded').size).to.equal('kept anyway'.length)
    expect(p.cli(['runs', 'logs', run.uid]).stdout).to.match(/upload=False has no effect under lode/)
  })

  for (const [handler, message] of [
    ['remote_path', /artifact_path='s3:\/\/bucket\/artifacts': lode keeps artifacts in the project's store/],
    ['outside_path', /artifact_path='\/tmp' is outside the run's artifact path/],
    ['remote_target', /target_path='v3io:\/\/\/projects\/x.parquet': lode writes artifacts to local paths only/],
    ['dataset_extra', /extra_data= is not something lode keeps with a dataset/],
    ['no_record', /db_key=False \(log without a record\) is not something lode does/],
    ['unknown_keyword', /unexpected keyword argument 'colour'/],
  ] as const) {
    it(`${handler}: fails the run with a message naming the keyword, and logs nothing`, () => {
      // what outside_path would write if artifact_path were obeyed (a /tmp/x.txt of someone else's stays as it was)
      const outside = () => {
        const st = statSync(join('/tmp', 'x.txt'), {throwIfNoEntry: false})
        return st && {ino: st.ino, size: st.size, mtime: st.mtimeMs}
      }
      const before = outside()
      const {out} = p.run(`keywords.py#${handler}`)
      expect(out.ok).to.equal(false)
      expect(out.error.message).to.match(message)
      expect(out.error.details.run.outputs).to.deep.equal({})
      expect(outside()).to.deep.equal(before)
    })
  }
})
