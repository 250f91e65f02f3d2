// model.yaml: the spec stored beside a model's files, as MLRun does.
import YAML from 'yaml'
import type {ModelMeta} from '../types.ts'

export const MODEL_SPEC_FILE = 'model.yaml'

export function modelSpecYaml(key: string, m: ModelMeta): string {
  return YAML.stringify({
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
