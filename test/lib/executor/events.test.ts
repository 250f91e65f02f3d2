// What a handler sends on its event pipe can neither crash lode nor lose the rest of its run.
import {expect} from 'chai'
import {tempProject} from '../../helpers/project.ts'
import {formatRun} from '../../../src/lib/runs/show.ts'

/** A handler that writes raw lines on the event pipe (fd 3), as any process of a run may. */
function rawHandler(lines: string[], tail = ''): string {
  return `
import {writeSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
export async function handler(ctx) {
  const staged = join(ctx.artifactPath, 'f.txt')
  writeFileSync(staged, 'bytes')
  const lines = ${JSON.stringify(lines)}
  for (const line of lines) writeSync(3, line.replaceAll('STAGED', staged) + '\\n')
  ${tail}
}
`
}

describe('executor: events from the handler', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('ev')
  })
  afterEach(() => t.cleanup())

  it('refuses a bad artifact key or label on its own and keeps everything else the run logged', async () => {
    t.write('h.ts', rawHandler([
      JSON.stringify({t: 'result', key: 'ok', value: 1}),
      JSON.stringify({t: 'artifact', key: 'good', kind: 'artifact', path: 'STAGED', format: 'txt'}),
      JSON.stringify({t: 'artifact', key: 'bad key', kind: 'artifact', path: 'STAGED'}),
      JSON.stringify({t: 'artifact', key: 'cafe\u0301', kind: 'artifact', path: 'STAGED'}),
      JSON.stringify({t: 'label', key: 'team', value: {a: 1}}),
      JSON.stringify({t: 'label', value: 'no key'}),
      JSON.stringify({t: 'label', key: 'stage', value: 'dev'}),
    ]))
    const run = await t.project.run('h.ts', {outputs: ['good', 'ok']})
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
    expect(run.results).to.deep.equal({ok: 1})
    expect(run.labels).to.deep.equal({stage: 'dev'})
    expect(run.outputs.good).to.equal(`store://artifacts/ev/good@${run.uid}`)
    expect(run.warnings).to.have.length(4)
    expect(run.warnings[0]).to.contain('"bad key"').and.contain('"key" must be')
    expect(run.warnings[1]).to.contain('"cafe\u0301"')
    expect(run.warnings[2]).to.contain('label "team": "value" must be a string')
    expect(run.warnings[3]).to.contain('label: missing "key"')
    expect(t.project.store.runs.get(run.uid)!.warnings).to.deep.equal(run.warnings)
    expect(t.project.store.artifacts.resolve({key: 'good'}).producer).to.equal(run.uid)
    expect(formatRun(run, false)).to.contain('warnings\n  artifact "bad key"')
  })
})
