// The README's quick tour, run as written: its handler example saved as train.ts, then every `lode` command of
// the tour in order (uid prefixes filled in), each expected to succeed. Keeps the README true.
import {expect} from 'chai'
import {copyFileSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT, json, lode, tempDir} from '../helpers/project.ts'
import {TEST_PYTHON} from '../lib/runtimes/python/run-handler.ts'

const README = readFileSync(join(ROOT, 'README.md'), 'utf8')

function block(after: string, fence: string): string {
  const start = README.indexOf(fence, README.indexOf(after))
  const end = README.indexOf('```', start + fence.length)
  expect(start, `a ${fence} block after "${after}"`).to.be.greaterThan(0)
  return README.slice(start + fence.length, end)
}

/** The tour's commands: continuation lines joined, comments dropped. */
function tourCommands(): string[] {
  const text = block('## A quick tour', '```sh\n').replace(/\\\n\s*/g, '')
  return text.split('\n').map((line) => line.replace(/\s+#\s.*$/, '').trim()).filter((line) => line.startsWith('lode '))
}

/** The uid prefix of the tour's own train.ts run. */
function trainUid(project: string): string {
  const runs = json(lode(['runs', 'ls', '--json', '--limit', '100'], {cwd: project})).data as Array<{uid: string; function: string}>
  return runs.find((r) => r.function === 'train.ts')?.uid.slice(0, 8) ?? 'none'
}

describe('e2e: the README', function () {
  this.timeout(180_000)
  let dir: string
  before(() => (dir = tempDir('lode-readme-')))
  after(() => rmSync(dir, {recursive: true, force: true}))

  it('runs its quick tour and its TypeScript handler as written', () => {
    const commands = tourCommands()
    expect(commands[0]).to.equal('lode init my-project && cd my-project')
    expect(lode(['init', 'my-project'], {cwd: dir}).code).to.equal(0)
    const project = join(dir, 'my-project')
    writeFileSync(join(project, 'train.ts'), block('### Handlers in TypeScript and JavaScript', '```ts\n'))
    copyFileSync(join(ROOT, 'examples', 'cancer', 'workflow.yaml'), join(project, 'workflow.yaml'))
    let ran = 0
    for (const command of commands.slice(1)) {
      // a run to stop, and a workflow to resume, are not part of a tour that succeeds
      if (command.startsWith('lode runs abort') || command.includes('--resume')) continue
      const args = command.slice('lode '.length).replaceAll('1a2b3c', trainUid(project)).split(/\s+/)
      const r = lode(args, {cwd: project, env: {LODE_PYTHON: TEST_PYTHON}}) // hub://auto_trainer trains with scikit-learn
      expect(r.code, `${command}\n${r.stderr}`).to.equal(0)
      ran++
    }
    expect(ran).to.be.greaterThan(20)
    const runs = json(lode(['runs', 'ls', '--json', '--limit', '100'], {cwd: project})).data as Array<{function: string; state: string; results: object; outputs: object}>
    const train = runs.find((r) => r.function === 'train.ts')!
    expect(train.state).to.equal('completed')
    expect(train.results).to.include({accuracy: 0.97, trees: 100})
    expect(Object.keys(train.outputs)).to.include('model')
  })
})
