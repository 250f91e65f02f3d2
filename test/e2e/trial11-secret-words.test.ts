// A secret whose value is a word the event protocol itself uses ("value", "result", "model", "a"): its masking
// reaches what the handler sent, never the structure of the events (field names, event types, kinds, file paths),
// so results, labels and artifacts are kept, with the value masked wherever it is text.
import {expect} from 'chai'
import {readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, tempDir} from '../helpers/project.ts'

const HANDLER = `#!/bin/sh
mkdir -p "$LODE_OUTPUT_DIR/m"
echo "a model file" > "$LODE_OUTPUT_DIR/data.txt"
echo '{"t":"result","key":"score","value":3}' >&3
echo "{\\"t\\":\\"result\\",\\"key\\":\\"said\\",\\"value\\":\\"it was $LODE_SECRET_WORD here\\"}" >&3
echo '{"t":"label","key":"stage","value":"train"}' >&3
echo '{"t":"progress","fraction":0.5,"message":"half"}' >&3
echo "{\\"t\\":\\"artifact\\",\\"key\\":\\"data\\",\\"kind\\":\\"artifact\\",\\"path\\":\\"$LODE_OUTPUT_DIR/data.txt\\",\\"labels\\":{\\"note\\":\\"$LODE_SECRET_WORD\\"}}" >&3
`

function filesUnder(dir: string): string[] {
  return readdirSync(dir, {recursive: true, encoding: 'utf8'}).map((f) => join(dir, f)).filter((p) => statSync(p).isFile())
}

describe('e2e: a secret equal to a word of the event protocol (trial11)', function () {
  this.timeout(120_000)
  let dir: string

  beforeEach(() => {
    dir = tempDir('lode-t11-secret-words-')
    expect(lode(['init'], {cwd: dir}).code).to.equal(0)
    writeFileSync(join(dir, 'h.sh'), HANDLER)
  })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  for (const word of ['value', 'result', 'artifact', 'a']) {
    it(`keeps every result, label and artifact when the secret is "${word}"`, () => {
      const r = lode(['run', 'h.sh', '--secret', 'word=SECRET_WORD_SRC', '--json'], {cwd: dir, env: {SECRET_WORD_SRC: word}})
      expect(r.code, r.stderr).to.equal(0)
      const run = json(r).data
      expect(run.state).to.equal('completed')
      // with "a", the artifact key "data" holds the value: it cannot be stored under its key, and says so
      if (word === 'a') {
        expect(run.warnings).to.have.length(1)
        expect(run.warnings[0]).to.contain('"d***t***": its key holds')
      } else {
        expect(run.warnings ?? []).to.deep.equal([])
      }
      expect(run.results.score).to.equal(3)
      // a key holding the value is masked as well ("a": said -> s***id)
      const masked = (text: string) => text.split(word).join('***')
      expect(run.results[masked('said')]).to.equal(`${masked('it was ')}***${masked(' here')}`)
      expect(run.labels[masked('stage')]).to.equal(masked('train'))
      if (word !== 'a') {
        expect(Object.keys(run.outputs)).to.include('data')
        const got = lode(['artifacts', 'get', 'data', '--json'], {cwd: dir})
        expect(got.code, got.stderr).to.equal(0)
        expect(got.stdout).to.contain('"note": "***"')
      }
      // the value never reaches a record as the handler sent it
      if (word.length > 1) {
        for (const file of filesUnder(join(dir, '.lode', 'runs'))) {
          expect(readFileSync(file, 'utf8'), file).to.not.contain(`was ${word} here`)
        }
      }
    })
  }
})
