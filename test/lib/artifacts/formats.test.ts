import {expect} from 'chai'
import {mkdtempSync, rmSync, writeFileSync, renameSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import pl from 'nodejs-polars'
import {UserError} from '../../../src/lib/errors.ts'
import {DATA_FORMATS, convertFile, detectFormat, formatFromContent, readFrame, writeFrame, writeFrameAsync, type DataFormat} from '../../../src/lib/artifacts/formats.ts'

const sample = () =>
  pl.DataFrame({
    id: [1, 2, 3],
    name: ['alpha', 'beta, with comma', null],
    score: [0.5, null, 2.25],
    ok: [true, false, true],
  })

const EXTENSION: Record<DataFormat, string> = {csv: 'csv', tsv: 'tsv', parquet: 'parquet', json: 'json', ndjson: 'ndjson', ipc: 'arrow'}

describe('artifacts/formats', () => {
  let dir: string
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lode-formats-'))))
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  function expectSameData(df: pl.DataFrame): void {
    expect(df.columns).to.deep.equal(['id', 'name', 'score', 'ok'])
    expect(df.height).to.equal(3)
    expect(df.getColumn('id').toArray().map(Number)).to.deep.equal([1, 2, 3])
    expect(df.getColumn('name').toArray()).to.deep.equal(['alpha', 'beta, with comma', null])
    expect(df.getColumn('score').toArray()).to.deep.equal([0.5, null, 2.25])
    expect(df.getColumn('ok').toArray()).to.deep.equal([true, false, true])
  }

  for (const format of DATA_FORMATS) {
    it(`round-trips ${format} under its own extension`, () => {
      const path = join(dir, `data.${EXTENSION[format]}`)
      writeFrame(sample(), path, format)
      expect(detectFormat(path)).to.equal(format)
      expectSameData(readFrame(path))
    })

    it(`reads ${format} from a file with a misleading name, by content`, () => {
      const path = join(dir, `data.${EXTENSION[format]}`)
      writeFrame(sample(), path, format)
      const misnamed = join(dir, 'data.bin')
      renameSync(path, misnamed)
      expect(detectFormat(misnamed)).to.equal(format)
      expectSameData(readFrame(misnamed))
    })
  }

  for (const format of DATA_FORMATS) {
    it(`writes ${format} asynchronously with the same data as writeFrame`, async () => {
      const path = join(dir, `async.${EXTENSION[format]}`)
      await writeFrameAsync(sample(), path, format)
      expectSameData(readFrame(path, format))
    })
  }

  it('writes parquet asynchronously for types beyond the basic ones, in row order', async () => {
    const n = 50_000
    const df = pl.DataFrame({
      i: Int32Array.from({length: n}, (_, k) => n - k),
      d: Array.from({length: n}, (_, k) => new Date(Date.UTC(2024, 0, 1 + (k % 365)))),
      c: pl.Series('c', Array.from({length: n}, (_, k) => (k % 3 === 0 ? null : `v${k % 7}`))).cast(pl.Categorical),
      l: Array.from({length: n}, (_, k) => [k, k + 1]),
    })
    const path = join(dir, 'wide.parquet')
    await writeFrameAsync(df, path, 'parquet')
    const back = readFrame(path)
    expect(back.height).to.equal(n)
    expect(back.getColumn('i').toArray().slice(0, 3)).to.deep.equal([n, n - 1, n - 2])
    expect(back.getColumn('l').toArray()[7]).to.deep.equal([7, 8])
    expect(back.select(pl.col('c').cast(pl.String)).frameEqual(df.select(pl.col('c').cast(pl.String)))).to.equal(true)
    expect(back.select('d').frameEqual(df.select('d'))).to.equal(true)
  })

  it('reads a parquet file named data.bin and a CSV named .txt', () => {
    const parquet = join(dir, 'data.bin')
    writeFrame(sample(), parquet, 'parquet')
    expectSameData(readFrame(parquet))
    const csv = join(dir, 'table.txt')
    writeFileSync(csv, 'a,b\n1,x\n2,y\n')
    const df = readFrame(csv)
    expect(df.columns).to.deep.equal(['a', 'b'])
    expect(df.getColumn('b').toArray()).to.deep.equal(['x', 'y'])
  })

  it('takes an explicit format over the extension and knows the aliases', () => {
    const path = join(dir, 'really-ndjson.csv')
    writeFrame(sample(), path, 'ndjson')
    expect(detectFormat(path, 'jsonl')).to.equal('ndjson')
    expectSameData(readFrame(path, 'ndjson'))
    expect(detectFormat(join(dir, 'x.feather'))).to.equal('ipc')
    expect(detectFormat(join(dir, 'x.pq'))).to.equal('parquet')
    expect(() => detectFormat(path, 'xlsx')).to.throw(UserError, /Unknown data format "xlsx"/)
  })

  it('sniffs content: magic bytes, JSON array, JSON lines, a pretty-printed object, CSV vs TSV', () => {
    expect(formatFromContent(Buffer.from('PAR1\u0000\u0000'))).to.equal('parquet')
    expect(formatFromContent(Buffer.from('ARROW1\u0000\u0000'))).to.equal('ipc')
    expect(formatFromContent(Buffer.from('  \n[{"a": 1}]'))).to.equal('json')
    expect(formatFromContent(Buffer.from('{"a": 1}\n{"a": 2}\n'))).to.equal('ndjson')
    expect(formatFromContent(Buffer.from('{\n  "a": [1, 2]\n}\n'))).to.equal('json')
    expect(formatFromContent(Buffer.from('a\tb,c\td\n1\t2\t3\n'))).to.equal('tsv')
    expect(formatFromContent(Buffer.from('a,b,c\n1,2,3\n'))).to.equal('csv')
  })

  it('converts between formats and returns the frame it read', () => {
    const src = join(dir, 'in.csv')
    writeFrame(sample(), src, 'csv')
    const dest = join(dir, 'out.data')
    const df = convertFile(src, undefined, dest, 'parquet')
    expect(df.height).to.equal(3)
    expect(detectFormat(dest)).to.equal('parquet')
    expectSameData(readFrame(dest))
  })

  it('reads a CSV whose column turns out to be float after many integer rows', () => {
    const path = join(dir, 'late.csv')
    const rows = Array.from({length: 20_000}, (_, i) => String(i))
    writeFileSync(path, ['v', ...rows, '1.5', ''].join('\n'))
    const df = readFrame(path)
    expect(df.height).to.equal(20_001)
    expect(df.getColumn('v').dtype.variant).to.equal('Float64')
    expect(df.getColumn('v').get(20_000)).to.equal(1.5)
  })

  it('reads an empty CSV file as an empty frame', () => {
    const path = join(dir, 'empty.csv')
    writeFileSync(path, '')
    expect(readFrame(path).height).to.equal(0)
  })

  it('reads a CSV of line ends alone (pandas, for a frame without columns) and an empty ndjson file as empty frames', () => {
    const csv = join(dir, 'no-columns.csv')
    writeFileSync(csv, '\n\n\n\n')
    expect(readFrame(csv).width).to.equal(0)
    const ndjson = join(dir, 'no-records.ndjson')
    writeFileSync(ndjson, '')
    expect(readFrame(ndjson).height).to.equal(0)
  })

  it('throws a UserError naming the file and the format for corrupt data', () => {
    const parquet = join(dir, 'broken.parquet')
    writeFileSync(parquet, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 7)]))
    expect(() => readFrame(parquet)).to.throw(UserError).with.property('message').that.matches(/broken\.parquet as parquet/)
    const ipc = join(dir, 'broken.bin')
    writeFileSync(ipc, Buffer.concat([Buffer.from('ARROW1'), Buffer.alloc(64, 1)]))
    expect(() => readFrame(ipc)).to.throw(UserError, /broken\.bin as ipc/)
    const json = join(dir, 'broken.json')
    writeFileSync(json, '[{"a": 1}, {"a": ')
    expect(() => readFrame(json)).to.throw(UserError, /broken\.json as json/)
  })

  it('throws a UserError for a missing file', () => {
    expect(() => readFrame(join(dir, 'nope.bin'))).to.throw(UserError, /nope\.bin/)
  })
})
