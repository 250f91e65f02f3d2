// `lode report -o` and `lode runs export -o` write beside their target and rename into place: a target that would be
// destroyed (the store, the project's lode.yaml, a FIFO or device, a symbolic link) is refused, as `artifacts get -o` refuses it.
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {existsSync, lstatSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, tempProject} from '../../helpers/project.ts'

describe('-o of report and runs export: targets they must not replace', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  let uid: string
  before(async () => {
    t = await tempProject('outputs')
    t.write('h.ts', 'export function handler() { return {x: 1} }\n')
    uid = (await t.project.run('h.ts')).uid
    execFileSync('mkfifo', [join(t.dir, 'pipe.csv')])
  })
  after(() => t.cleanup())

  const commands = (target: string) => [['report', uid.slice(0, 8), '-o', target], ['runs', 'export', '-o', target]]

  it("refuses the project's lode.yaml and a path inside .lode/, and the project still opens", () => {
    const before = readFileSync(join(t.dir, 'lode.yaml'), 'utf8')
    // runs export takes only .csv, .ndjson and .parquet names: lode.yaml and lode.db are refused for that already
    const report = (target: string) => ['report', uid.slice(0, 8), '-o', target]
    for (const args of [report('lode.yaml'), report(join('.lode', 'lode.db')), ['runs', 'export', '-o', join('.lode', 'runs', 'x.csv')]]) {
      const r = lode(args, {cwd: t.dir})
      expect(r.code, `lode ${args.join(' ')}: ${r.stderr}`).to.equal(2)
      expect(r.stderr).to.contain('Refusing to write')
    }
    expect(readFileSync(join(t.dir, 'lode.yaml'), 'utf8')).to.equal(before)
    expect(json(lode(['runs', 'ls', '--json'], {cwd: t.dir})).data).to.have.length(1)
  })

  it('refuses a FIFO instead of replacing it with a plain file', () => {
    for (const args of commands('pipe.csv')) {
      const r = lode(args, {cwd: t.dir})
      expect(r.code, `lode ${args.join(' ')}: ${r.stderr}`).to.equal(2)
      expect(r.stderr).to.contain('a FIFO')
      expect(statSync(join(t.dir, 'pipe.csv')).isFIFO()).to.equal(true)
    }
  })

  it('refuses a symbolic link (as /dev/stdout is) instead of replacing the link with a plain file', () => {
    // `lode report -o /dev/stdout > r.html` followed /dev/stdout to a plain file, then renamed over the link itself
    writeFileSync(join(t.dir, 'real.csv'), 'kept\n')
    symlinkSync('real.csv', join(t.dir, 'link.csv'))
    symlinkSync('nowhere.csv', join(t.dir, 'dangling.csv'))
    for (const target of ['link.csv', 'dangling.csv']) {
      for (const args of commands(target)) {
        const r = lode(args, {cwd: t.dir})
        expect(r.code, `lode ${args.join(' ')}: ${r.stderr}`).to.equal(2)
        expect(r.stderr).to.contain('is a symbolic link')
        expect(lstatSync(join(t.dir, target)).isSymbolicLink(), target).to.equal(true)
      }
    }
    expect(readFileSync(join(t.dir, 'real.csv'), 'utf8')).to.equal('kept\n')
  })

  it('still writes an ordinary file', () => {
    expect(lode(['runs', 'export', '-o', 'runs.csv'], {cwd: t.dir}).code).to.equal(0)
    expect(lode(['report', uid.slice(0, 8), '-o', 'r.html'], {cwd: t.dir}).code).to.equal(0)
    expect(existsSync(join(t.dir, 'runs.csv')) && existsSync(join(t.dir, 'r.html'))).to.equal(true)
  })
})
