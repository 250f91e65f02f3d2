import {expect} from 'chai'
import {rmSync, utimesSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {removeProject, tempProject} from './fixtures.ts'

const {memoKey, canonicalJson, describeChanges, inputContentHash, outputsProblem} = await import('../../../src/lib/workflow/memo.ts')
const {Project} = await import('../../../src/lib/project/project.ts')

const base = {kind: 'node', codeHash: 'c1', handler: 'train', params: {n: 100, model: {depth: 3, seed: 1}}, inputs: {dataset: 'aaa'}, outputs: ['model']}

describe('workflow memo keys', () => {
  it('is the same for the same inputs whatever the key order', () => {
    const reordered = {outputs: ['model'], inputs: {dataset: 'aaa'}, params: {model: {seed: 1, depth: 3}, n: 100}, handler: 'train', codeHash: 'c1', kind: 'node'}
    expect(memoKey(reordered)).to.equal(memoKey(base))
    expect(canonicalJson({b: 1, a: [2, {d: 1, c: 0}]})).to.equal('{"a":[2,{"c":0,"d":1}],"b":1}')
  })

  it('changes with the code, handler, kind, a param, a param type, an input content and the declared outputs', () => {
    const keys = new Set([
      memoKey(base),
      memoKey({...base, codeHash: 'c2'}),
      memoKey({...base, handler: 'evaluate'}),
      memoKey({...base, kind: 'python'}),
      memoKey({...base, params: {...base.params, n: 50}}),
      memoKey({...base, params: {...base.params, n: '100'}}),
      memoKey({...base, inputs: {dataset: 'bbb'}}),
      memoKey({...base, outputs: ['model', 'test_set']}),
    ])
    expect(keys.size).to.equal(8)
  })

  it('says what changed', () => {
    expect(describeChanges(base, base)).to.deep.equal([])
    expect(describeChanges(base, {...base, params: {...base.params, n: 50}})).to.deep.equal(['params.n changed (100 -> 50)'])
    expect(describeChanges(base, {...base, codeHash: 'c9', inputs: {dataset: 'zzz', extra: 'e'}})).to.deep.equal(['code changed', 'input dataset changed', 'input extra added'])
    expect(describeChanges(base, {...base, params: {model: base.params.model}})).to.deep.equal(['params.n removed (was 100)'])
  })
})

describe('workflow input hashing and output verification', () => {
  let dir: string
  let project: Awaited<ReturnType<typeof Project.open>>
  beforeEach(async () => {
    dir = tempProject()
    project = await Project.open(dir)
  })
  afterEach(() => {
    project.close()
    removeProject(dir)
  })

  it('hashes a file input by content, remembered by path, size, mtime, ctime, device and inode', async () => {
    const file = join(dir, 'data.csv')
    writeFileSync(file, 'a,b\n1,2\n')
    const first = await inputContentHash(project.store, 'data.csv', dir)
    expect(first).to.match(/^[0-9a-f]{64}$/)
    // remembered once the file is older than a file system clock tick (a change within one would keep its ctime)
    const deadline = Date.now() + 20_000
    while (!project.store.db.get('SELECT 1 FROM file_hashes WHERE path = ?', file) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100))
      await inputContentHash(project.store, 'data.csv', dir)
    }
    expect(project.store.db.get<{sha256: string}>('SELECT sha256 FROM file_hashes WHERE path = ?', file)?.sha256).to.equal(first)
    // Same bytes, new mtime: same content hash. Different bytes: a different one.
    utimesSync(file, new Date(), new Date(Date.now() + 5000))
    expect(await inputContentHash(project.store, file, '/')).to.equal(first)
    writeFileSync(file, 'a,b\n1,3\n')
    expect(await inputContentHash(project.store, file, '/')).to.not.equal(first)
    expect(await inputContentHash(project.store, 'no-such-file.csv', dir)).to.equal(null)
  })

  it('a store input hashes as its version, and a run whose output bytes are gone does not verify', async () => {
    const run = await project.run(join(dir, 'steps.ts'), {handler: 'make', params: {text: 'hello', delay: 0}, outputs: ['out']})
    expect(run.state).to.equal('completed')
    const uri = run.outputs.out as string
    const version = project.store.artifacts.resolve({key: 'out'})
    expect(await inputContentHash(project.store, uri, dir)).to.equal(version.sha256)
    expect(await inputContentHash(project.store, `${run.uid.slice(0, 8)}/out`, dir)).to.equal(version.sha256)
    expect(outputsProblem(project.store, run)).to.equal(null)
    rmSync(project.store.objects.path(version.sha256))
    expect(outputsProblem(project.store, run)).to.match(/output out: the bytes of store:\/\/.* are missing/)
  })
})
