// Every user file lode parses (params files, workflow files, lode.yaml, secrets files): an alias bomb is bad input
// (exit 2), and an error quotes at most a short excerpt of the file, never a whole long line of it.
import {expect} from 'chai'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {lode, tempDir} from '../../helpers/project.ts'

const {UserError} = await import('../../../src/lib/errors.ts')
const {readParamsFile} = await import('../../../src/lib/executor/params.ts')
const {loadFile} = await import('../../../src/lib/workflow/load.ts')
const {readConfig} = await import('../../../src/lib/project/project-file.ts')
const {collectSecrets, readSecretsFile} = await import('../../../src/lib/secrets/sources.ts')

// 10^5 nodes from 40 aliases: the YAML parser stops it ("Excessive alias count")
const BOMB = 'a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n' +
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n'
// a shadow-file line: YAML reads it as one long key with no value
const TAIL = 'Zq8TAILOFTHEHASH'
const SHADOW = `root:$6$${'x'.repeat(300)}${TAIL}:19000:0:99999:7:::`

describe('user files: alias bombs and long lines', function () {
  this.timeout(60_000)
  let dir: string
  beforeEach(() => (dir = tempDir()))
  afterEach(() => rmSync(dir, {recursive: true, force: true}))
  const file = (name: string, text: string) => {
    const p = join(dir, name)
    writeFileSync(p, text)
    return p
  }
  const refused = (fn: () => unknown, said?: RegExp): Error => {
    try {
      fn()
    } catch (error) {
      expect(error, String(error)).to.be.instanceOf(UserError)
      expect((error as InstanceType<typeof UserError>).exitCode).to.equal(2)
      if (said) expect((error as Error).message).to.match(said)
      return error as Error
    }
    throw new Error('not refused')
  }

  it('refuses an alias bomb as bad input in a params file, a workflow file, lode.yaml and a secrets file', () => {
    const said = /too many aliases/
    refused(() => readParamsFile(file('p.yaml', BOMB)), said)
    refused(() => loadFile(file('w.yaml', `steps: {}\n${BOMB}`)), said)
    refused(() => readConfig(file('lode.yaml', `name: t\n${BOMB}`)), said)
    refused(() => readSecretsFile(file('s.yaml', BOMB)), said)
  })

  it('says an alias with no anchor before it is one, not an alias bomb: params, workflow, lode.yaml and secrets files', () => {
    const said = /uses the alias \*nowhere, but no anchor &nowhere is set before it/
    refused(() => readParamsFile(file('p.yaml', 'a: *nowhere\n')), said)
    refused(() => loadFile(file('w.yaml', 'steps: {}\nx: *nowhere\n')), said)
    refused(() => readConfig(file('lode.yaml', 'name: t\nx: *nowhere\n')), said)
    refused(() => readSecretsFile(file('s.yaml', 'a: *nowhere\n')), said)
  })

  it("says a file of two documents holds two, not the parser's advice to call its API", () => {
    const error = refused(() => readConfig(file('lode.yaml', 'name: t\n---\nname: u\n')), /more than one document \(a "---" line at line 2\)/)
    expect(error.message).to.not.contain('parseAllDocuments')
  })

  it('exits 2 for an alias bomb in a workflow file run from the CLI', () => {
    expect(lode(['init', '.'], {cwd: dir}).code).to.equal(0)
    file('w.yaml', `steps: {}\n${BOMB}`)
    const r = lode(['workflow', 'run', 'w.yaml'], {cwd: dir})
    expect(r.code, r.stderr).to.equal(2)
    expect(r.stderr).to.contain('too many aliases').and.not.contain('bug in lode')
  })

  it('quotes at most a short excerpt of a long line: params, workflow, lode.yaml and secrets files', () => {
    const errors = [
      refused(() => readParamsFile(file('p.yaml', `${SHADOW}\n`))),
      refused(() => readParamsFile(file('p2.json', `{"${SHADOW}": 1}`))),
      refused(() => loadFile(file('w.yaml', `steps:\n  ${SHADOW}\n`))),
      refused(() => loadFile(file('w2.yaml', `steps:\n  a: {function: f.sh, params: {${SHADOW}}, inputs: {${SHADOW}}, outputs: ["${SHADOW}"]}\n${SHADOW}\n`))),
      refused(() => readConfig(file('lode.yaml', `name: "${SHADOW}"\n`))),
      refused(() => collectSecrets({}, {config: readConfig(file('lode2.yaml', `name: t\nsecrets:\n  ${SHADOW}\n`)), dir})),
      refused(() => readSecretsFile(file('s.yaml', `${SHADOW}\n`))),
      refused(() => readSecretsFile(file('s.env', `${SHADOW}=1\n`))),
    ]
    for (const e of errors) {
      expect(e.message, e.message).to.not.contain(TAIL)
      for (const line of e.message.split('\n')) expect(line.length, line).to.be.at.most(200)
    }
  })
})
