// Symlinks planted inside .lode/ (its tmp folder, a run folder, an object shard) that lead out of the project:
// `artifacts gc` removes nothing through them.
import {expect} from 'chai'
import {mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, tempDir} from '../helpers/project.ts'

describe('e2e: artifacts gc and symlinks planted in .lode (trial11)', function () {
  this.timeout(120_000)
  let root: string
  let dir: string
  let outside: string

  beforeEach(() => {
    root = tempDir('lode-t11-gc-')
    dir = join(root, 'project')
    outside = join(root, 'outside')
    mkdirSync(dir)
    mkdirSync(join(outside, 'staging'), {recursive: true})
    mkdirSync(join(outside, 'inputs'), {recursive: true})
    writeFileSync(join(outside, 'precious.txt'), 'mine')
    writeFileSync(join(outside, 'staging', 'keep.txt'), 'mine')
    writeFileSync(join(outside, 'inputs', 'keep.txt'), 'mine')
    writeFileSync(join(outside, 'e'.repeat(62)), 'looks like an object')
    expect(lode(['init'], {cwd: dir}).code).to.equal(0)
  })
  afterEach(() => rmSync(root, {recursive: true, force: true}))

  it('removes nothing outside the project through .lode/tmp, .lode/runs/UID or .lode/objects/sha256/XX links', () => {
    rmSync(join(dir, '.lode', 'tmp'), {recursive: true, force: true})
    symlinkSync(outside, join(dir, '.lode', 'tmp'))
    symlinkSync(outside, join(dir, '.lode', 'runs', '0123456789abcdef0123456789abcdef'))
    mkdirSync(join(dir, '.lode', 'objects', 'sha256'), {recursive: true})
    symlinkSync(outside, join(dir, '.lode', 'objects', 'sha256', 'ee'))
    const r = lode(['artifacts', 'gc', '--json'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    expect(readdirSync(outside).sort()).to.deep.equal(['e'.repeat(62), 'inputs', 'precious.txt', 'staging'])
    expect(readdirSync(join(outside, 'staging'))).to.deep.equal(['keep.txt'])
    expect(readdirSync(join(outside, 'inputs'))).to.deep.equal(['keep.txt'])
    // the file behind the shard link is not taken for an object (kept only for its age, it would go an hour later)
    expect(json(r).data.objectsKept).to.equal(0)
  })
})
