// A seeded synthetic classification data set: each class is a cloud of normal noise around its own centre.
// Centres are random vertices of a hypercube with side 2 * class_sep, as in scikit-learn's make_classification.

import pl from 'nodejs-polars'
import {createRandom} from './random.ts'

export interface SyntheticOptions {
  rows: number
  features: number
  classes: number
  /** standard deviation of the noise around each class centre (1 = moderately overlapping classes) */
  noise: number
  randomState: number
}

const CLASS_SEP = 1.5

export function syntheticClassification(options: SyntheticOptions): pl.DataFrame {
  const {rows, features, classes, noise, randomState} = validate(options)
  const random = createRandom(randomState)
  const centres = Array.from({length: classes}, () => Array.from({length: features}, () => (random.next() < 0.5 ? -CLASS_SEP : CLASS_SEP)))
  // balanced classes, in a shuffled order
  const labels = Array.from({length: rows}, (_, i) => i % classes)
  for (let i = rows - 1; i > 0; i--) {
    const j = random.int(i + 1)
    ;[labels[i], labels[j]] = [labels[j] as number, labels[i] as number]
  }
  const columns = Array.from({length: features}, () => new Float64Array(rows))
  labels.forEach((label, r) => {
    const centre = centres[label] as number[]
    for (let f = 0; f < features; f++) (columns[f] as Float64Array)[r] = (centre[f] as number) + noise * random.gaussian()
  })
  return pl.DataFrame([
    ...columns.map((values, f) => pl.Series(`feature_${f}`, values, pl.Float64)),
    pl.Series('label', labels, pl.Int64),
  ])
}

function validate(options: SyntheticOptions): SyntheticOptions {
  const integer = (name: string, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got ${value}`)
  }
  integer('rows', options.rows, 1)
  integer('features', options.features, 1)
  integer('classes', options.classes, 2)
  integer('random_state', options.randomState, 0)
  if (!(options.noise >= 0) || !Number.isFinite(options.noise)) throw new Error(`noise must be a number >= 0, got ${options.noise}`)
  if (options.rows < options.classes) throw new Error(`rows (${options.rows}) must be at least classes (${options.classes})`)
  return options
}
