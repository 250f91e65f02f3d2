// Feature scaling to zero mean and unit variance; constant features keep a scale of 1.

import type {Matrix} from './model.ts'

export type Scaler = {mean: number[]; scale: number[]}

export function fitScaler(x: Matrix): Scaler {
  const n = x.length
  const d = x[0]?.length ?? 0
  const mean = new Array<number>(d).fill(0)
  const scale = new Array<number>(d).fill(0)
  for (const row of x) for (let f = 0; f < d; f++) mean[f] = (mean[f] as number) + (row[f] as number) / n
  for (const row of x) for (let f = 0; f < d; f++) scale[f] = (scale[f] as number) + ((row[f] as number) - (mean[f] as number)) ** 2 / n
  return {mean, scale: scale.map((v) => (v > 1e-24 ? Math.sqrt(v) : 1))}
}

export function applyScaler(scaler: Scaler, x: Matrix): Matrix {
  return x.map((row) => row.map((v, f) => (v - (scaler.mean[f] as number)) / (scaler.scale[f] as number)))
}
