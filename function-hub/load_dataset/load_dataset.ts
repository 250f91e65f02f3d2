// Hub function load_dataset: log a ready data set (breast_cancer, iris) or a seeded synthetic one.

import {fileURLToPath} from 'node:url'
import pl from 'nodejs-polars'
import type {Context} from './lode-types.ts'
import {syntheticClassification} from './synthetic.ts'

const BUNDLED = ['breast_cancer', 'iris'] as const
export const AVAILABLE = [...BUNDLED, 'synthetic']
const FORMATS = ['parquet', 'csv', 'ndjson', 'ipc'] as const
type Format = (typeof FORMATS)[number]

export interface LoadDatasetArgs {
  name?: string
  rows?: number
  features?: number
  classes?: number
  noise?: number
  random_state?: number
  format?: string
}

export async function load_dataset(ctx: Context, args: LoadDatasetArgs): Promise<{rows: number; columns: number}> {
  const {name = 'breast_cancer', format = 'parquet'} = args
  if (!FORMATS.includes(format as Format)) throw new Error(`unknown format "${format}"; available: ${FORMATS.join(', ')}`)
  const df = loadFrame(name, args)
  ctx.logger.info('loaded', {name, rows: df.height, columns: df.width})
  await ctx.logDataset('dataset', df, {format: format as Format, labels: {source: name}})
  return {rows: df.height, columns: df.width}
}

export function loadFrame(name: string, args: LoadDatasetArgs = {}): pl.DataFrame {
  if ((BUNDLED as readonly string[]).includes(name)) return pl.readCSV(fileURLToPath(new URL(`./data/${name}.csv`, import.meta.url)))
  if (name === 'synthetic') {
    return syntheticClassification({
      rows: Number(args.rows ?? 1000),
      features: Number(args.features ?? 10),
      classes: Number(args.classes ?? 2),
      noise: Number(args.noise ?? 1),
      randomState: Number(args.random_state ?? 42),
    })
  }
  throw new Error(`unknown data set "${name}"; available: ${AVAILABLE.join(', ')}`)
}
