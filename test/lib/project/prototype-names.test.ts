// Names typed by the user are looked up as lode.yaml's own entries: toString, constructor or __proto__ are names
// like any other, never something every object inherits.
import {expect} from 'chai'
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {lode, tempDir} from '../../helpers/project.ts'

const INHERITED = ['toString', 'constructor', 'valueOf', 'hasOwnProperty', '__proto__']

describe('lode.yaml: names that every object inherits', function () {
  this.timeout(120_000)
  let dir: string
  const run = (args: string[]) => lode(args, {cwd: dir})
  beforeEach(() => {
    dir = tempDir()
    expect(run(['init', '.']).code).to.equal(0)
    writeFileSync(join(dir, 'a.sh'), 'echo ran\n')
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  const expectCode = (args: string[], code: number, said: RegExp) => {
    const r = run(args)
    expect(r.code, `lode ${args.join(' ')}\n${r.stderr}`).to.equal(code)
    expect(r.stderr).to.match(said).and.not.contain('bug in lode')
  }

  it('takes --secret toString for an environment variable that is not set, with or without lode.yaml secrets:', () => {
    for (const name of INHERITED) expectCode(['run', 'a.sh', '--secret', name], 2, /environment variable .* is not set/)
    writeFileSync(join(dir, 'lode.yaml'), 'name: t\nsecrets:\n  db: {env: DB_VAR}\n')
    for (const name of INHERITED) expectCode(['run', 'a.sh', '--secret', name], 2, /environment variable .* is not set/)
  })

  it('gives a secret named __proto__ from a secrets file to the handler', () => {
    writeFileSync(join(dir, 's.env'), '__proto__=proto-value\n')
    writeFileSync(join(dir, 'show.sh'), 'echo "got[$LODE_SECRET___PROTO__]"\n')
    const r = run(['run', 'show.sh', '--secret-file', 's.env'])
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout + r.stderr).to.contain('got[***]')
  })

  it('says a function or workflow named like an inherited property is not found (exit 4)', () => {
    writeFileSync(join(dir, 'lode.yaml'), 'name: t\nfunctions:\n  build: {command: [echo, hi]}\nworkflows:\n  w: {steps: {a: {function: build}}}\n')
    for (const name of INHERITED) {
      expectCode(['run', name], 4, /No such function file/)
      expectCode(['workflow', 'run', name], 4, /No workflow file/)
    }
  })
})
