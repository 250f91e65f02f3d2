// model.yaml: the spec stored beside a model's files, as MLRun does.
import {loadYaml} from '../project/project-file.ts'
import type {ModelMeta} from '../types.ts'

export const MODEL_SPEC_FILE = 'model.yaml'

export function modelSpecYaml(key: string, m: ModelMeta): string {
  return loadYaml().stringify({
    kind: 'model',
    key,
    framework: m.framework,
    algorithm: m.algorithm,
    model_file: m.modelFile,
    metrics: m.metrics,
    parameters: m.parameters,
    inputs: m.inputs ?? [],
    outputs: m.outputs ?? [],
    extra_data: m.extraData,
  })
}
