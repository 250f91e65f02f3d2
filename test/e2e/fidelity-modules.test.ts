// MLRun's module paths under lode: a handler whose only change is `mlrun` -> `lode` imports what it imported.
import {expect} from 'chai'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT} from '../helpers/project.ts'
import {fidelityProject, type FidelityProject} from './fidelity-project.ts'

const MODULES_PY = `
import lode
import lode.artifacts
from lode.execution import MLClientCtx
from lode.datastore import DataItem
from lode.datastore.base import DataItem as BaseDataItem
from lode.artifacts import (Artifact, DatasetArtifact, DirArtifact, ModelArtifact, PlotArtifact, PlotlyArtifact,
                            TableArtifact, update_model)


def handler(context: MLClientCtx, data: DataItem):
    context.log_result("ctx_is_context", isinstance(context, lode.MLClientCtx))
    context.log_result("data_is_item", isinstance(data, BaseDataItem) and DataItem is lode.DataItem)
    context.log_result("classes", [c.kind for c in (Artifact, DatasetArtifact, DirArtifact, ModelArtifact,
                                                   PlotArtifact, PlotlyArtifact, TableArtifact)])
    context.log_result("update_model", callable(update_model))
    context.log_result("get_model", hasattr(lode.artifacts, "get_model"))
    context.log_result("text", data.get(encoding="utf-8").strip())
`

describe('fidelity: MLRun module paths (lode.execution, lode.datastore, lode.artifacts)', function () {
  this.timeout(120_000)
  let p: FidelityProject
  before(() => {
    p = fidelityProject()
  })
  after(() => p.remove())

  it('a handler importing from lode.execution, lode.datastore and lode.artifacts runs', () => {
    p.write('modules.py', MODULES_PY)
    p.write('data.txt', 'hello\n')
    const run = p.completed('modules.py#handler', ['-i', 'data=data.txt'])
    expect(run.results).to.deep.include({ctx_is_context: true, data_is_item: true, update_model: true, text: 'hello'})
    expect(run.results.classes).to.deep.equal(['artifact', 'dataset', 'dir', 'model', 'plot', 'plotly', 'dataset'])
    // get_model comes from lode.models: exported by lode.artifacts exactly when that module exists
    const hasModels = existsSync(join(ROOT, 'src', 'lib', 'runtimes', 'python', 'lode', 'models.py'))
    expect(run.results.get_model).to.equal(hasModels)
  })
})
