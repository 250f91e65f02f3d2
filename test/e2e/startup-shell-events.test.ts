// The README's lines for a shell step that writes its events on fd 3 itself, run as written: the run records them
// as it records `lode log`'s.
import {expect} from 'chai'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Project} from '../../src/lib/project/project.ts'
import {ROOT, json, lode, tempDir} from '../helpers/project.ts'

const README = readFileSync(join(ROOT, 'README.md'), 'utf8')

function shellLines(): string {
  const start = README.indexOf('```sh\n', README.indexOf('A shell step can write those lines itself'))
  expect(start, 'the README shows the shell lines').to.be.greaterThan(0)
  return README.slice(start + 6, README.indexOf('```', start + 6))
}

describe('e2e: a shell step writing its events on fd 3', function () {
  this.timeout(60_000)
  let dir: string
  before(() => {
    dir = tempDir('lode-shell-events-')
    Project.init(dir, {name: 'shell'})
  })
  after(() => rmSync(dir, {recursive: true, force: true}))

  it("records the README's result, artifact and progress lines", () => {
    writeFileSync(join(dir, 'step.sh'), `echo '<h1>hi</h1>' > "$LODE_OUTPUT_DIR/report.html"\n${shellLines()}`)
    const r = lode(['run', '--events', 'ndjson', '--kind', 'exec', '--', 'sh', 'step.sh'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(0)
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as {t: string; fraction?: number})
    expect(events.some((e) => e.t === 'progress' && e.fraction === 0.5)).to.equal(true)
    const run = json(lode(['runs', 'ls', '--json'], {cwd: dir})).data[0] as {uid: string; results: Record<string, unknown>; warnings: string[]}
    expect(run.results).to.deep.equal({rows: 1234})
    expect(run.warnings).to.deep.equal([])
    const got = lode(['artifacts', 'get', 'report', '-o', join(dir, 'got.html')], {cwd: dir})
    expect(got.code, got.stderr).to.equal(0)
    expect(readFileSync(join(dir, 'got.html'), 'utf8')).to.equal('<h1>hi</h1>\n')
  })
})
