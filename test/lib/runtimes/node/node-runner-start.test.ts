// The Node runner finds its own modules from their URLs, without Node's resolver (~8 ms of every start, on the path
// of a run): a handler's own imports, `lode` and the packages lode ships still resolve as before.
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {closeSync, openSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {ROOT, tempDir, tempProject} from '../../../helpers/project.ts'

const RUNNER = join(ROOT, 'dist', 'lib', 'runtimes', 'node', 'runner.js')

describe('runtimes/node (node-runner-start): how the runner finds modules', function () {
  this.timeout(60_000)

  it("asks Node's resolver for none of its own modules", () => {
    const dir = tempDir('lode-runner-resolve-')
    const seen = join(dir, 'seen.txt')
    // registered before the runner's own hooks, this one is asked only for what they pass on to Node's resolver
    const hook = join(dir, 'hook.mjs')
    writeFileSync(hook, `import {registerHooks} from 'node:module'\nimport {appendFileSync} from 'node:fs'\n` +
      `registerHooks({resolve(specifier, context, next) { appendFileSync(${JSON.stringify(seen)}, JSON.stringify([specifier, context.parentURL ?? '']) + '\\n'); return next(specifier, context) }})\n`)
    writeFileSync(seen, '')
    // started ahead for a .js handler with no run to take (its event pipe at end of file): it loads and exits
    const none = openSync('/dev/null', 'r')
    try {
      execFileSync(process.execPath, ['--import', pathToFileURL(hook).href, RUNNER], {
        env: {...process.env, LODE_EVENT_FD: '3', LODE_RUNNER_PRESTART: join(dir, 'h.js')}, stdio: ['ignore', 'pipe', 'pipe', none],
      })
    } finally {
      closeSync(none)
    }
    const asked = readFileSync(seen, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as [string, string])
    const dist = pathToFileURL(join(ROOT, 'dist')).href + '/'
    const own = asked.filter(([specifier, parent]) => parent.startsWith(dist) && specifier.startsWith('.'))
    // only the module that installs the runner's hook is found before the hook exists
    expect(own.map(([s]) => s)).to.deep.equal(['../../util/own-modules.js'])
  })

  it('gives a handler lode\'s own classes for a value import of lode, and resolves its relative imports and nodejs-polars', async () => {
    const t = await tempProject('runner-resolve')
    try {
      t.write('util.ts', 'export const twice = (n: number): number => 2 * n\n')
      t.write('h.ts', "import {Context, UserError} from 'lode'\nimport pl from 'nodejs-polars'\nimport {twice} from './util.ts'\n" +
        'export async function handler(ctx: Context) {\n' +
        "  ctx.logResult('same', ctx instanceof Context)\n  ctx.logResult('error', new UserError('x', 'y') instanceof Error)\n" +
        "  ctx.logResult('rows', pl.DataFrame({a: [1, 2, 3]}).height)\n  ctx.logResult('twice', twice(21))\n}\n")
      const run = await t.project.run('h.ts', {})
      expect(run.state, run.error?.message).to.equal('completed')
      expect(run.results).to.deep.equal({same: true, error: true, rows: 3, twice: 42})
    } finally {
      t.cleanup()
    }
  })
})
