// ctx.getModel: a model's file, its spec and its extra data, from a model input of the run or from the store.
import {mkdtempSync, rmSync} from '../util/fs.ts'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {ExternalError, UserError} from '../errors.ts'
import type {JsonValue, ModelMeta} from '../types.ts'
import {DataItem} from './data-item.ts'

/** What lode recorded of a model, with its key and store:// address. */
export interface ModelSpec extends ModelMeta {
  key: string
  uri: string
}

/** MLRun's get_model: the model file's local path, its spec, and its extra data by name. */
export interface ModelHandle {
  path: string
  spec: ModelSpec
  extraData: Record<string, DataItem>
}

const LODE_BIN = fileURLToPath(new URL('../../../bin/run.js', import.meta.url))

/** The input named `ref`, or given as `ref` (its url or store:// address); else the stored model `ref` names, fetched. */
export async function getModel(inputs: Readonly<Record<string, DataItem>>, ref: string, projectDir: string): Promise<ModelHandle> {
  const item = inputs[ref] ?? Object.values(inputs).find((i) => i.url === ref || i.meta.uri === ref)
  return modelOf(item ?? (await fetchModel(ref, projectDir)))
}

function modelOf(item: DataItem): ModelHandle {
  const model = item.meta.model as unknown as ModelMeta | undefined
  const uri = String(item.meta.uri ?? item.url)
  if (item.meta.kind !== 'model' || !model) {
    throw new UserError(`getModel: ${uri} is ${item.meta.kind ? `a ${String(item.meta.kind)}` : 'not from the store'}, not a model.`, 'Give a model input (-i model=store://models/PROJECT/KEY) or the address of one.')
  }
  if (!model.modelFile) throw new UserError(`getModel: the model ${uri} has no model file recorded.`, 'Log it with a body or a modelFile.')
  const dir = item.localPath()
  const extraData = Object.fromEntries(model.extraData.map((name) => [name, new DataItem(name, `${uri}/${name}`, join(dir, name))]))
  return {path: join(dir, model.modelFile), spec: {...model, key: String(item.meta.key ?? item.key), uri}, extraData}
}

let fetched: string | null = null

/** A stored model through the lode command (`artifacts get`): its bytes checked, copied into a folder removed at exit. */
async function fetchModel(ref: string, projectDir: string): Promise<DataItem> {
  const {runProbe} = await import('../executor/spawn.ts')
  const lode = async (args: string[]) => {
    const r = await runProbe(process.execPath, [LODE_BIN, ...args, '--project', projectDir, '--json'], {timeoutMs: 600_000})
    let envelope: {ok: boolean; data?: Record<string, any>; error?: {message: string; hint?: string; exitCode?: number}}
    try {
      envelope = JSON.parse(r.stdout)
    } catch {
      throw new ExternalError(`lode artifacts get ${ref} (for getModel)`, r.failure?.message ?? r.stderr.trim().split('\n').slice(-3).join('\n'))
    }
    if (!envelope.ok) throw new UserError(`getModel: ${envelope.error?.message}`, envelope.error?.hint, {exitCode: envelope.error?.exitCode})
    return envelope.data!
  }
  const version = (await lode(['artifacts', 'get', ref, '--meta'])).artifact as {id: number; key: string; kind: string; uri: string; meta?: Record<string, JsonValue>}
  if (!fetched) {
    const dir = mkdtempSync(join(tmpdir(), 'lode-models-'))
    process.once('exit', () => rmSync(dir, {recursive: true, force: true}))
    fetched = dir
  }
  const written = await lode(['artifacts', 'get', ref, '-o', join(fetched, `${version.id}-${version.key.replaceAll('/', '_')}`)])
  return new DataItem(version.key, ref, written.path as string, {kind: version.kind, uri: version.uri, key: version.key, ...(version.meta?.model ? {model: version.meta.model} : {})})
}
