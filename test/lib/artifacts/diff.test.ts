import {expect} from 'chai'
import pl from 'nodejs-polars'
import {describeFrame} from '../../../src/lib/artifacts/dataset.ts'
import {diffBlobs, diffDatasets, diffFiles, diffModels, formatDiff} from '../../../src/lib/artifacts/diff.ts'
import {formatBytes, formatNumber} from '../../../src/lib/artifacts/diff-format.ts'
import type {DirEntry, ModelMeta} from '../../../src/lib/types.ts'

describe('artifacts/diff', () => {
  describe('datasets', () => {
    const a = describeFrame(
      pl.DataFrame({
        mean_radius: [14.0, 14.2, 14.19],
        label: ['b', 'm', 'b'],
        id: [1, 2, 3],
        dropped: [1, 1, 1],
      }).withColumns(pl.col('id').cast(pl.Int64)),
    )
    const b = describeFrame(
      pl.DataFrame({
        mean_radius: [14.1, 14.3],
        label: ['b', 'm'],
        id: [1.5, 2.5],
        extra: ['x', 'y'],
      }),
    )

    it('finds added, removed and retyped columns, the row delta and per-column statistic deltas', () => {
      const d = diffDatasets(a, b)
      expect(d.schema.added).to.deep.equal([{name: 'extra', dtype: 'String'}])
      expect(d.schema.removed).to.deep.equal([{name: 'dropped', dtype: 'Float64'}])
      expect(d.schema.typeChanged).to.deep.equal([{name: 'id', a: 'Int64', b: 'Float64'}])
      expect(d.rows).to.deep.equal({a: 3, b: 2, delta: -1})
      expect(d.columns.map((c) => c.name)).to.deep.equal(['mean_radius', 'label', 'id'])
      const radius = d.columns[0]!
      expect(radius.changed).to.equal(true)
      expect(radius.stats.count).to.deep.equal({a: 3, b: 2, delta: -1})
      expect(radius.stats.mean!.a).to.be.closeTo(14.13, 1e-9)
      expect(radius.stats.mean!.delta).to.be.closeTo(0.07, 1e-9)
      expect(radius.stats.max).to.deep.equal({a: 14.2, b: 14.3, delta: 14.3 - 14.2})
      const label = d.columns[1]!
      expect(label.stats.distinct).to.deep.equal({a: 2, b: 2, delta: 0})
      expect(label.stats.min).to.deep.equal({a: 'b', b: 'b', delta: null})
      expect(label.stats.mean).to.equal(undefined)
    })

    it('formats aligned text', () => {
      const text = formatDiff(diffDatasets(a, b))
      expect(text).to.include('rows    3 -> 2 (-1)')
      expect(text).to.match(/^ {2}\+ extra +String$/m)
      expect(text).to.match(/^ {2}- dropped +Float64$/m)
      expect(text).to.match(/^ {2}~ id +Int64 -> Float64$/m)
      expect(text).to.match(/^ {2}mean_radius {2}count {2}3 -> 2 \(-1\)$/m)
      expect(text).to.match(/^ {15}mean {3}14\.13 -> 14\.2 \(\+0\.07\)$/m)
      expect(text).to.match(/^ {2}label {8}count +3 -> 2 \(-1\)$/m)
      // the stat column lines up under every column name
      const statColumn = text.split('\n').map((l) => /^ {2}\S+ +(?=(count|mean|std|min|max) )/.exec(l)?.[0].length).filter((n) => n !== undefined)
      expect(statColumn).to.have.length(3)
      expect(new Set(statColumn).size).to.equal(1)
    })

    it('says when nothing changed', () => {
      const d = diffDatasets(a, a)
      expect(d.columns.every((c) => !c.changed)).to.equal(true)
      expect(formatDiff(d)).to.equal('rows    3 (unchanged)\nschema  unchanged\n4 columns with unchanged statistics')
    })
  })

  describe('models', () => {
    const base: ModelMeta = {
      framework: 'ml-random-forest',
      algorithm: 'RandomForestClassifier',
      modelFile: 'model.json',
      metrics: {accuracy: 0.95, auc: 0.98, loss: 0.1},
      parameters: {n_estimators: 100, max_depth: 5, features: ['a', 'b']},
      extraData: [],
    }
    const next: ModelMeta = {
      ...base,
      algorithm: 'GradientBoosting',
      metrics: {accuracy: 0.97, f1: 0.93, loss: 0.1},
      parameters: {n_estimators: 200, features: ['a', 'b'], learning_rate: 0.1},
    }

    it('finds metric and parameter deltas and framework/algorithm changes', () => {
      const d = diffModels(base, next)
      expect(d.framework).to.equal(null)
      expect(d.algorithm).to.deep.equal({a: 'RandomForestClassifier', b: 'GradientBoosting'})
      expect(d.metrics.added).to.deep.equal({f1: 0.93})
      expect(d.metrics.removed).to.deep.equal({auc: 0.98})
      expect(d.metrics.changed).to.have.length(1)
      expect(d.metrics.changed[0]!.delta).to.be.closeTo(0.02, 1e-12)
      expect(d.metrics.unchanged).to.deep.equal(['loss'])
      expect(d.parameters.changed).to.deep.equal([{name: 'n_estimators', a: 100, b: 200}])
      expect(d.parameters.added).to.deep.equal({learning_rate: 0.1})
      expect(d.parameters.removed).to.deep.equal({max_depth: 5})
      expect(d.parameters.unchanged).to.deep.equal(['features'])
    })

    it('formats it', () => {
      const text = formatDiff(diffModels(base, next))
      expect(text).to.include('algorithm  RandomForestClassifier -> GradientBoosting')
      expect(text).to.match(/^ {2}~ accuracy +0\.95 -> 0\.97 \(\+0\.02\)$/m)
      expect(text).to.match(/^ {2}\+ f1 +0\.93$/m)
      expect(text).to.match(/^ {2}- auc +0\.98$/m)
      expect(text).to.match(/^ {2}~ n_estimators +100 -> 200$/m)
      expect(text).not.to.include('framework ')
    })
  })

  describe('files and blobs', () => {
    const entry = (path: string, sha256: string, size: number): DirEntry => ({path, sha256, size, mode: 0o644})

    it('finds added, removed and changed files by hash, with sizes', () => {
      const a = [entry('model.json', 'aa', 100), entry('old.bin', 'bb', 300), entry('same.txt', 'cc', 5)]
      const b = [entry('same.txt', 'cc', 5), entry('model.json', 'dd', 2048), entry('new.csv', 'ee', 1536)]
      const d = diffFiles(a, b)
      expect(d.added).to.deep.equal([{path: 'new.csv', sha256: 'ee', size: 1536}])
      expect(d.removed).to.deep.equal([{path: 'old.bin', sha256: 'bb', size: 300}])
      expect(d.changed).to.deep.equal([{path: 'model.json', a: {sha256: 'aa', size: 100}, b: {sha256: 'dd', size: 2048}, sizeDelta: 1948}])
      expect(d.unchanged).to.equal(1)
      expect(formatDiff(d)).to.equal(
        ['+ new.csv     1.5 kB', '- old.bin     300 B', '~ model.json  100 B -> 2.0 kB (+1.9 kB)', '1 file unchanged'].join('\n'),
      )
    })

    it('compares blobs by hash', () => {
      const same = diffBlobs({sha256: 'a'.repeat(64), size: 10}, {sha256: 'a'.repeat(64), size: 10})
      expect(same).to.include({same: true, sizeDelta: 0})
      expect(formatDiff(same)).to.equal(`identical  sha256 ${'a'.repeat(12)}  10 B`)
      const other = diffBlobs({sha256: 'a'.repeat(64), size: 10}, {sha256: 'b'.repeat(64), size: 4})
      expect(other).to.include({same: false, sizeDelta: -6})
      expect(formatDiff(other)).to.equal(`sha256  ${'a'.repeat(12)} -> ${'b'.repeat(12)}\nsize    10 B -> 4 B (-6 B)`)
    })
  })

  it('formats numbers and sizes for people', () => {
    expect(formatNumber(569)).to.equal('569')
    expect(formatNumber(14.127)).to.equal('14.13')
    expect(formatNumber(0.0712)).to.equal('0.0712')
    expect(formatNumber(123456.78)).to.equal('123456.8')
    expect(formatNumber(1e-7)).to.equal('1.000e-7')
    expect(formatBytes(999)).to.equal('999 B')
    expect(formatBytes(-1536)).to.equal('-1.5 kB')
    expect(formatBytes(5 * 1024 * 1024)).to.equal('5.2 MB')
  })
})
