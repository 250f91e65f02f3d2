// lode's own TypeScript models (hub://auto_trainer's lode-ml JSON files), predicted in lode's process with the
// hub function's own code, so serving answers exactly what the hub's predict handler does.
import {existsSync, readdirSync} from '../util/fs.ts'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {UserError} from '../errors.ts'
import {builtInHubDir} from '../hub/sources.ts'
import type {LabelValue, ModelInfo, Prediction, Predictor} from './types.ts'

interface LodeMlModule {
  loadModel(text: string): {model: {algorithm: string; task: string; features: {name: string}[]; classes: LabelValue[] | null}}
  predictLabels(loaded: unknown, x: number[][]): {values: LabelValue[]; proba: number[][] | null}
}

/** The built-in hub function whose ml/trained-model.ts reads lode-ml model files. */
function moduleFile(): string {
  const hub = builtInHubDir()
  for (const name of readdirSync(hub)) {
    const file = join(hub, name, 'ml', 'trained-model.ts')
    if (existsSync(file)) return file
  }
  throw new Error(`no built-in hub function in ${hub} has ml/trained-model.ts, which reads lode-ml models`)
}

export async function loadLodeMlModel(text: string, base: Pick<ModelInfo, 'name' | 'version' | 'uri'>, what: string): Promise<Predictor> {
  const mod = (await import(pathToFileURL(moduleFile()).href)) as LodeMlModule
  let loaded: ReturnType<LodeMlModule['loadModel']>
  try {
    loaded = mod.loadModel(text)
  } catch (error) {
    throw new UserError(`${what} is not a model lode can read: ${(error as Error).message}`, 'Serve a model logged by hub://auto_trainer, or a scikit-learn pickle.')
  }
  const {model} = loaded
  const classifier = model.task !== 'regression'
  const info: ModelInfo = {
    ...base, platform: 'lode-ml', algorithm: model.algorithm, features: model.features.length, featureNames: model.features.map((f) => f.name),
    classes: classifier ? model.classes : null, hasProba: classifier,
  }
  return {
    info,
    async predict(rows: number[][], proba: boolean): Promise<Prediction> {
      const p = mod.predictLabels(loaded, rows)
      return {predict: p.values, proba: proba ? p.proba : null}
    },
    pids: () => [],
    ready: () => true,
    async close() {},
  }
}
