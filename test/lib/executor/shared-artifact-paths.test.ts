// One staged file (or folder) named by two artifacts of a run: moving it into the store for the first took it from the
// second, and the run failed with a rename's ENOENT.
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {tempProject} from '../../helpers/project.ts'

const HANDLER = `d="$LODE_OUTPUT_DIR"
mkdir -p "$d/all/sub"; echo model-bytes > "$d/all/sub/model.pkl"; echo readme > "$d/all/readme"; echo same > "$d/same.txt"
art() { printf '{"t":"artifact","key":"%s","kind":"%s","path":"%s"}\\n' "$1" "$2" "$3" >&3; }
art one artifact "$d/same.txt"
art two artifact "$d/same.txt"
art folder dir "$d/all"
art model artifact "$d/all/sub/model.pkl"
`

describe('executor: artifacts that name the same staged path', () => {
  it('stores each: one file under two keys, a folder and a file inside it', async () => {
    const t = await tempProject('shared')
    try {
      t.write('log.sh', HANDLER)
      const run = await t.project.run('log.sh', {})
      expect(run.error, JSON.stringify(run.error)).to.equal(null)
      expect(run.state).to.equal('completed')
      expect(Object.keys(run.outputs).sort()).to.deep.equal(['folder', 'model', 'one', 'two'])
      const versions = ['one', 'two', 'model'].map((key) => t.project.store.artifacts.resolve({key}))
      expect(versions[0]!.sha256).to.equal(versions[1]!.sha256)
      for (const v of versions) expect(t.project.store.objects.has(v.sha256), v.key).to.equal(true)
      expect(readFileSync(t.project.store.objects.path(versions[2]!.sha256), 'utf8')).to.equal('model-bytes\n')
      expect(readFileSync(t.project.store.objects.path(versions[0]!.sha256), 'utf8')).to.equal('same\n')
      const folder = t.project.store.artifacts.resolve({key: 'folder'})
      for (const sha of t.project.store.artifacts.objectsOf(folder.id)) expect(t.project.store.objects.has(sha)).to.equal(true)
    } finally {
      t.cleanup()
    }
  })
})
