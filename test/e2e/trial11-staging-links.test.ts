// A handler that puts a symlink in place of its staging folder (LODE_OUTPUT_DIR), or of a folder in it, and logs files
// through it: lode copies them, never moves a file from outside the project into the store, and never writes a
// model.yaml into a folder outside the project.
import {expect} from 'chai'
import {existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, tempDir} from '../helpers/project.ts'

describe('e2e: a staging folder that leads outside the project (trial11)', function () {
  this.timeout(120_000)
  let root: string
  let dir: string
  let outside: string

  beforeEach(() => {
    root = tempDir('lode-t11-staging-')
    dir = join(root, 'project')
    outside = join(root, 'outside')
    mkdirSync(dir)
    mkdirSync(join(outside, 'model'), {recursive: true})
    writeFileSync(join(outside, 'precious.txt'), 'mine\n')
    writeFileSync(join(outside, 'model', 'weights.bin'), 'weights\n')
    expect(lode(['init'], {cwd: dir}).code).to.equal(0)
  })
  afterEach(() => rmSync(root, {recursive: true, force: true}))

  function expectOutsideUntouched(): void {
    expect(readFileSync(join(outside, 'precious.txt'), 'utf8')).to.equal('mine\n')
    expect(readFileSync(join(outside, 'model', 'weights.bin'), 'utf8')).to.equal('weights\n')
    expect(readdirSync(outside).sort()).to.deep.equal(['model', 'precious.txt'])
    expect(readdirSync(join(outside, 'model'))).to.deep.equal(['weights.bin'])
  }

  it('the staging folder replaced by a symlink: a file and a model logged through it are copied', () => {
    writeFileSync(join(dir, 'h.sh'), `rm -rf "$LODE_OUTPUT_DIR" && ln -s ${JSON.stringify(outside)} "$LODE_OUTPUT_DIR"
echo "{\\"t\\":\\"artifact\\",\\"key\\":\\"p\\",\\"kind\\":\\"artifact\\",\\"path\\":\\"$LODE_OUTPUT_DIR/precious.txt\\"}" >&3
echo "{\\"t\\":\\"artifact\\",\\"key\\":\\"m\\",\\"kind\\":\\"model\\",\\"path\\":\\"$LODE_OUTPUT_DIR/model\\"}" >&3
`)
    const r = lode(['run', 'h.sh', '--json'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    expect(Object.keys(json(r).data.outputs).sort()).to.deep.equal(['m', 'p'])
    expectOutsideUntouched()
    const got = lode(['artifacts', 'get', 'p', '-o', join(root, 'got.txt')], {cwd: dir})
    expect(got.code, got.stderr).to.equal(0)
    expect(readFileSync(join(root, 'got.txt'), 'utf8')).to.equal('mine\n')
  })

  it('a folder inside the staging folder linked outside, and a model logged from outside by its absolute path', () => {
    writeFileSync(join(dir, 'h.sh'), `ln -s ${JSON.stringify(outside)} "$LODE_OUTPUT_DIR/sub"
echo "{\\"t\\":\\"artifact\\",\\"key\\":\\"p\\",\\"kind\\":\\"artifact\\",\\"path\\":\\"$LODE_OUTPUT_DIR/sub/precious.txt\\"}" >&3
echo "{\\"t\\":\\"artifact\\",\\"key\\":\\"m\\",\\"kind\\":\\"model\\",\\"path\\":${JSON.stringify(JSON.stringify(join(outside, 'model'))).slice(1, -1)}}" >&3
`)
    const r = lode(['run', 'h.sh', '--json'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    expect(Object.keys(json(r).data.outputs).sort()).to.deep.equal(['m', 'p'])
    expectOutsideUntouched()
    const model = lode(['artifacts', 'get', 'm', '-o', join(root, 'model-copy')], {cwd: dir})
    expect(model.code, model.stderr).to.equal(0)
    expect(existsSync(join(root, 'model-copy', 'model.yaml')), 'the stored model has its model.yaml').to.equal(true)
  })

  it('the run folder itself replaced by a symlink: lode empties nothing through it (staging, event-files, inputs)', () => {
    for (const sub of ['staging', 'event-files', 'inputs']) {
      mkdirSync(join(outside, sub))
      writeFileSync(join(outside, sub, 'keep.txt'), 'mine\n')
    }
    writeFileSync(join(outside, 'event-files', '1700000000000-1-00000001-deadbeef.json'), '{"t":"result","key":"x","value":1}')
    writeFileSync(join(dir, 'h.sh'), `run=$(dirname "$LODE_OUTPUT_DIR") && mv "$run" "$run.moved" && ln -s ${JSON.stringify(outside)} "$run"
echo "{\\"t\\":\\"artifact\\",\\"key\\":\\"p\\",\\"kind\\":\\"artifact\\",\\"path\\":\\"$run/precious.txt\\"}" >&3
`)
    const r = lode(['run', 'h.sh', '--json'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    expect(Object.keys(json(r).data.outputs)).to.deep.equal(['p'])
    for (const sub of ['staging', 'event-files', 'inputs']) expect(readFileSync(join(outside, sub, 'keep.txt'), 'utf8'), sub).to.equal('mine\n')
    expect(readdirSync(join(outside, 'event-files')).sort()).to.deep.equal(['1700000000000-1-00000001-deadbeef.json', 'keep.txt'])
    expect(readFileSync(join(outside, 'precious.txt'), 'utf8')).to.equal('mine\n')
  })
})
