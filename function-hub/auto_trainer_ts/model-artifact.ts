// Reading a logged model back: the artifact directory holds model.yaml (key model_file) and the model file.

import {readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {parse} from 'yaml'
import type {DataItem} from './lode-types.ts'
import {loadModel, type LoadedModel} from './ml/trained-model.ts'

export async function readModelArtifact(item: DataItem): Promise<LoadedModel> {
  const path = item.localPath()
  // A model file given directly (a path to the .json) works too.
  if (!(await stat(path)).isDirectory()) return loadModel(await readFile(path, 'utf8'))
  const fileName = (await modelFileFromYaml(join(path, 'model.yaml'))) ?? modelFileFromMeta(item.meta)
  if (!fileName) throw new Error(`no model file named in ${join(path, 'model.yaml')} (key model_file) nor in the artifact's metadata`)
  return loadModel(await readFile(join(path, fileName), 'utf8'))
}

async function modelFileFromYaml(file: string): Promise<string | null> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return null
  }
  const spec = parse(text) as {model_file?: unknown} | null
  return typeof spec?.model_file === 'string' ? spec.model_file : null
}

function modelFileFromMeta(meta: DataItem['meta']): string | null {
  const model = meta.model
  if (model && typeof model === 'object' && !Array.isArray(model) && typeof model.modelFile === 'string') return model.modelFile
  return null
}
