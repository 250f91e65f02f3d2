// From MODEL_REF to a predictor: the artifact resolved, its files copied out of the store with their bytes checked
// against their sha256 (as `artifacts get` does), then loaded by framework: pickles by Python workers, lode's own
// JSON models in-process.
import {mkdtempSync, readFileSync, rmSync} from '../util/fs.ts'
import {tmpdir} from 'node:os'
import {basename, extname, join} from 'node:path'
import {UserError} from '../errors.ts'
import {resolveRef} from '../artifacts/get-command.ts'
import type {Store} from '../store/store.ts'
import type {ArtifactVersion} from '../types.ts'
import {withArticle} from '../util/words.ts'
import {loadLodeMlModel} from './lode-ml.ts'
import {PythonPool} from './python-pool.ts'
import type {ModelInfo, Predictor} from './types.ts'

export interface LoadOptions {
  cwd: string
  workers: number
  python?: string
  /** the name clients use; default the model_name label, else the key's last part */
  name?: string
  note?: (text: string) => void
}

export interface LoadedModel {
  predictor: Predictor
  version: ArtifactVersion
  /** stop the workers and remove the verified copy */
  close(): Promise<void>
}

const PICKLE = new Set(['.pkl', '.pickle', '.joblib', '.sav'])

export async function loadModel(store: Store, ref: string, opts: LoadOptions): Promise<LoadedModel> {
  const v = await resolveRef(store, ref)
  if (v.kind !== 'model') throw new UserError(`${v.key} is ${withArticle(v.kind)}, not a model.`, 'List models with: lode artifacts ls --kind model')
  const spec = v.meta?.model
  const dir = store.readOnly ? mkdtempSync(join(tmpdir(), 'lode-serve-')) : store.objects.tmpPath('serve')
  const remove = () => {
    rmSync(dir, {recursive: true, force: true})
    process.removeListener('exit', remove)
  }
  // lode may exit at once (a second Ctrl-C): the copy goes with it
  process.once('exit', remove)
  try {
    await store.objects.materializeDir(await store.objects.readManifest(v.sha256), dir, {copy: true, hashOf: (p) => store.hashInputFile(p)})
    const files = (v.meta?.files ?? []).map((f) => f.path)
    const modelFile = spec?.modelFile ?? files.find((f) => PICKLE.has(extname(f).toLowerCase()) || extname(f) === '.json') ?? null
    if (!modelFile || !files.includes(modelFile)) {
      throw new UserError(`${v.key} v${v.version} names no model file lode can find (files: ${files.join(', ') || 'none'}).`, 'Log the model with a model file: log_model(key, body=..., model_file="model.pkl").')
    }
    const name = opts.name ?? v.labels.model_name ?? basename(v.key)
    if (!/^[\w.-]+$/.test(name)) throw new UserError(`"${name}" cannot be a model's name in a URL: use letters, digits, '_', '-' and '.'.`, 'Choose one with --name NAME.')
    const base = {name, version: `v${v.version}`, uri: v.uri}
    const path = join(dir, ...modelFile.split('/'))
    let predictor: Predictor
    if (spec?.framework === 'lode-ml' || extname(modelFile) === '.json') {
      predictor = await loadLodeMlModel(readFileSync(path, 'utf8'), base, `${v.key} v${v.version}`)
    } else if (PICKLE.has(extname(modelFile).toLowerCase()) || ['sklearn', 'scikit-learn', 'xgboost', 'lightgbm'].includes(spec?.framework ?? '')) {
      predictor = await PythonPool.start(path, base, {cwd: opts.cwd, python: opts.python, workers: opts.workers, note: opts.note})
    } else {
      throw new UserError(`lode cannot serve ${v.key} v${v.version}: its framework "${spec?.framework ?? ''}" and model file ${modelFile} are neither a pickle nor a lode-ml model.`,
        'Serving takes scikit-learn style pickles (.pkl, .joblib) and models of hub://auto_trainer.')
    }
    return {predictor, version: v, close: async () => {
      await predictor.close()
      remove()
    }}
  } catch (error) {
    remove()
    throw error
  }
}

export type {ModelInfo}
