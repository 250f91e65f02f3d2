// `lode artifacts diff A B`: picks the comparison by kind.
import type {Store} from '../store/store.ts'
import {resolveRef} from './get-command.ts'

export async function diffArtifacts(store: Store, refA: string, refB: string): Promise<{text: string; data: Record<string, unknown>}> {
  const [a, b] = [await resolveRef(store, refA), await resolveRef(store, refB)]
  const diff = await import('./diff.ts')
  const header = `${a.key} v${a.version} (${a.kind}) -> ${b.key} v${b.version} (${b.kind})`
  let result: Parameters<typeof diff.formatDiff>[0]
  if (a.meta?.dataset && b.meta?.dataset) result = diff.diffDatasets(a.meta.dataset, b.meta.dataset)
  else if (a.meta?.model && b.meta?.model) {
    // the spec (metrics, parameters) and the files: the same model file name may hold other bytes
    const files = diff.diffFiles(a.meta.files ?? [], b.meta.files ?? [])
    const model = diff.diffModels(a.meta.model, b.meta.model)
    return {
      text: `${header}\n${diff.formatDiff(model)}\nfiles\n${diff.formatDiff(files)}`,
      data: {a: a.uri, b: b.uri, diff: model as unknown as Record<string, unknown>, files: files as unknown as Record<string, unknown>},
    }
  }
  else if (a.meta?.files && b.meta?.files) result = diff.diffFiles(a.meta.files, b.meta.files)
  else result = diff.diffBlobs({sha256: a.sha256, size: a.size}, {sha256: b.sha256, size: b.size})
  return {text: `${header}\n${diff.formatDiff(result)}`, data: {a: a.uri, b: b.uri, diff: result as unknown as Record<string, unknown>}}
}
