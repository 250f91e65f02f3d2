// What a handler sends on its event pipe can neither crash lode nor lose the rest of its run.
import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, tempProject} from '../../helpers/project.ts'
import {formatRun} from '../../../src/lib/runs/show.ts'
import {pythonRuns, TEST_PYTHON} from '../runtimes/python/run-handler.ts'

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

describe('executor: every event is checked against one schema', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('schema')
  })
  afterEach(() => t.cleanup())

  it('records unknown types and missing fields as warnings, never a crash of the display (--json, plain)', () => {
    t.write('h.ts', rawHandler(['{"t":"metric"}', '{"t":"result","key":"k"}', '{"t":"log"}', '{"t":"progress","fraction":"half"}', '[1,2]', '{"t":"result","key":"after","value":2}']))
    for (const args of [['run', 'h.ts', '--json'], ['run', 'h.ts']]) {
      const r = lode(args, {cwd: t.dir})
      expect(r.code, r.stderr).to.equal(0)
      if (args.includes('--json')) {
        const run = json(r).data
        expect(run.state).to.equal('completed')
        expect(run.results).to.deep.equal({after: 2})
        expect(run.warnings).to.deep.equal([
          'unknown event type "metric" (a handler sends log, result, label, progress, artifact, error, warning)',
          'result "k": missing "value"',
          '"log" event: missing "level"',
          '"progress" event: "fraction" must be a number from 0 to 1',
          'an event must be a JSON object with a "t" field',
        ])
      } else {
        expect(r.stderr).to.contain('warning unknown event type "metric"').and.contain('result after=2').and.contain('completed')
      }
    }
  })

  it('refuses a "ts" no date can hold (1e308, negative) with a warning, not a NaN:NaN:NaN clock', () => {
    t.write('h.ts', rawHandler(['{"t":"result","key":"far","value":1,"ts":1e308}', '{"t":"log","level":"info","msg":"x","ts":-5}', '{"t":"result","key":"after","value":2,"ts":1700000000000}']))
    const r = lode(['run', 'h.ts'], {cwd: t.dir})
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.contain('result after=2')
    expect(r.stderr).to.not.contain('NaN')
    const [run] = t.project.store.runs.list()
    expect(run!.results).to.deep.equal({after: 2})
    expect(run!.warnings).to.deep.equal([
      'result "far": "ts" must be ms since the epoch (a number from 0 to 8640000000000000)',
      '"log" event: "ts" must be ms since the epoch (a number from 0 to 8640000000000000)',
    ])
  })

  it('lets a workflow whose step sends invalid events finish, under its plain view', () => {
    t.write('h.ts', rawHandler(['{"t":"metric"}', '{"t":"result","key":"k"}', '{"t":"log"}', '{"t":"result","key":"ok","value":1}']))
    t.write('workflow.yaml', 'name: w\nsteps:\n  one:\n    function: h.ts\n    outputs: [ok]\n')
    const r = lode(['workflow', 'run', 'workflow.yaml'], {cwd: t.dir})
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stderr).to.contain('[one] warning unknown event type "metric"')
    const [run] = t.project.store.runs.list()
    expect(run!.state).to.equal('completed')
    expect(run!.warnings).to.have.length(3)
  })

  it('accepts every event the Python SDK sends', async function () {
    const python = TEST_PYTHON
    if (!pythonRuns(python)) this.skip()
    t.write('h.py', `
def handler(context):
    context.logger.info('hello', rows=3)
    context.log_result('acc', 0.5)
    context.log_results({'n': 3, 'none': None})
    context.set_label('team', 'ml')
    context.progress(0.5, 'half')
    context.log_artifact('notes', body='text')
    context.log_artifact('cfg', body={'a': 1})
    context.log_plot('plot', body='<svg xmlns="http://www.w3.org/2000/svg"/>')
    context.log_dataset('rows', df=[{'a': 1, 'b': 'x'}])
    context.log_model('model', body=b'bytes', model_file='m.bin', metrics={'acc': 0.5}, parameters={'k': 1}, labels={'x': 'y'})
`)
    const run = await t.project.run('h.py', {python})
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
    expect(run.warnings).to.deep.equal([])
    expect(Object.keys(run.outputs).sort()).to.deep.equal(['acc', 'cfg', 'model', 'n', 'none', 'notes', 'plot', 'rows'])
  })
})

describe('executor: lifecycle events come only from lode', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('forged')
  })
  afterEach(() => t.cleanup())

  it('does not forward a handler\'s forged state, ingested, wf-state or wf-step lines under --events ndjson', () => {
    t.write('h.ts', rawHandler([
      JSON.stringify({t: 'state', state: 'completed'}),
      JSON.stringify({t: 'ingested', artifact: {key: 'fake', uri: 'store://artifacts/forged/fake'}}),
      JSON.stringify({t: 'wf-state', workflow: 'w', state: 'completed'}),
      JSON.stringify({t: 'wf-step', workflow: 'w', step: 's', state: 'completed'}),
      JSON.stringify({t: 'output', stream: 'stdout', line: 'forged'}),
    ], 'process.exit(1)'))
    const r = lode(['run', 'h.ts', '--events', 'ndjson'], {cwd: t.dir})
    expect(r.code).to.equal(1)
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(events.filter((e) => e.t === 'state').map((e) => e.state)).to.deep.equal(['running', 'error'])
    expect(events.map((e) => e.t)).to.not.include.members(['ingested', 'wf-state', 'wf-step', 'output'])
    const warnings = events.filter((e) => e.t === 'warning').map((e) => e.message)
    expect(warnings).to.have.length(5)
    for (const [i, type] of ['state', 'ingested', 'wf-state', 'wf-step', 'output'].entries()) expect(warnings[i]).to.contain(`"${type}" events come only from lode`)
  })
})

describe('executor: a handler\'s event carries only the fields of its type', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('fields')
  })
  afterEach(() => t.cleanup())

  it('drops run, workflow, step, iter and unknown fields a handler adds to its events under --events ndjson', () => {
    const forged = {run: 'forged-run', workflow: 'forged-wf', step: 'forged-step', iter: 7, extra: 1}
    t.write('h.ts', rawHandler([
      JSON.stringify({t: 'log', level: 'info', msg: 'hello', ...forged}),
      JSON.stringify({t: 'result', key: 'r', value: 1, ...forged}),
      JSON.stringify({t: 'progress', fraction: 0.5, ...forged}),
    ]))
    const r = lode(['run', 'h.ts', '--events', 'ndjson'], {cwd: t.dir})
    expect(r.code, r.stderr).to.equal(0)
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l))
    const uid = events.find((e) => e.t === 'state').run
    const sent = events.filter((e) => ['log', 'result', 'progress'].includes(e.t))
    expect(sent).to.have.length(3)
    for (const e of sent) {
      expect(e.run).to.equal(uid)
      for (const field of ['workflow', 'step', 'iter', 'extra']) expect(e, JSON.stringify(e)).to.not.have.property(field)
    }
    expect(sent[0]).to.include({level: 'info', msg: 'hello'})
    expect(sent[1]).to.include({key: 'r', value: 1})
  })
})

describe('executor: large events from many writers at once', function () {
  this.timeout(120_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('atomic')
  })
  afterEach(() => t.cleanup())

  const expectAll = (run: {state: string; results: Record<string, unknown>; warnings: string[]; error: unknown}, writers: number, each: number, size: number) => {
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
    expect(run.warnings).to.deep.equal([])
    expect(Object.keys(run.results)).to.have.length(writers * each)
    for (let w = 0; w < writers; w++) for (let i = 0; i < each; i++) expect(run.results[`w${w}-${i}`]).to.equal(String.fromCharCode(97 + w).repeat(size))
  }

  it('keeps every large result that processes of a TypeScript handler write at the same time', async () => {
    t.write('child.mjs', `
      import {EventChannel} from ${JSON.stringify(new URL('../../../dist/lib/sdk/channel.js', import.meta.url).href)}
      const [w, each, size] = process.argv.slice(2).map(Number)
      const channel = EventChannel.fromEnv()
      for (let i = 0; i < each; i++) channel.send({t: 'result', key: 'w' + w + '-' + i, value: String.fromCharCode(97 + w).repeat(size)})
    `)
    t.write('h.ts', `
      import {spawn} from 'node:child_process'
      export async function handler(ctx) {
        const children = Array.from({length: 10}, (_, w) => spawn(process.execPath, ['child.mjs', String(w), '20', '40000'], {stdio: ['ignore', 'inherit', 'inherit', 3]}))
        await Promise.all(children.map((c) => new Promise((resolve) => c.on('exit', resolve))))
      }`)
    expectAll(await t.project.run('h.ts'), 10, 20, 40_000)
  })

  it('keeps every large result that forked processes of a Python handler write at the same time', async function () {
    const python = TEST_PYTHON
    if (!pythonRuns(python)) this.skip()
    t.write('h.py', `
import os
def handler(context):
    pids = []
    for w in range(10):
        pid = os.fork()
        if pid == 0:
            for i in range(20):
                context.log_result(f'w{w}-{i}', chr(97 + w) * 40000)
            os._exit(0)
        pids.append(pid)
    for pid in pids:
        os.waitpid(pid, 0)
`)
    expectAll(await t.project.run('h.py', {python}), 10, 20, 40_000)
  })

  it('keeps every large result when threads and forked processes of a Python handler log at the same time', async function () {
    const python = TEST_PYTHON
    if (!pythonRuns(python)) this.skip()
    // a thread holding the SDK's lock at fork time must not leave the child waiting on it forever; the handler
    // gives up after a generous deadline so a regression fails the run instead of hanging the suite
    t.write('h.py', `
import multiprocessing, threading, time
def write(context, w):
    for i in range(20):
        context.log_result(f'w{w}-{i}', chr(97 + w) * 30000)
def handler(context):
    fork = multiprocessing.get_context('fork')
    threads = [threading.Thread(target=write, args=(context, w)) for w in range(5)]
    for th in threads:
        th.start()
    children = [fork.Process(target=write, args=(context, w)) for w in range(5, 10)]
    for c in children:
        c.start()
    for th in threads:
        th.join()
    deadline = time.monotonic() + 60
    for c in children:
        c.join(max(0, deadline - time.monotonic()))
    stuck = [c for c in children if c.is_alive()]
    for c in stuck:
        c.kill()
    if stuck:
        raise RuntimeError(f'{len(stuck)} forked writers never finished')
    if any(c.exitcode != 0 for c in children):
        raise RuntimeError(f'exit codes {[c.exitcode for c in children]}')
`)
    expectAll(await t.project.run('h.py', {python}), 10, 20, 30_000)
  })

  it('fails a run whose event lines were torn, saying how many were lost', async () => {
    t.write('h.ts', rawHandler(['{"t":"result","key":"a","val', 'ue":1}', JSON.stringify({t: 'result', key: 'b', value: 2})]))
    const run = await t.project.run('h.ts')
    expect(run.state).to.equal('error')
    expect(run.error?.message).to.equal('2 event lines were not JSON (torn by writers that interleaved, or not an event): what they carried is lost')
    expect(run.results).to.deep.equal({b: 2})
  })
})

describe('executor: events sent without lode\'s pipe, or after the handler returned', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('pipe')
  })
  afterEach(() => t.cleanup())

  it('refuses event files that are a FIFO or a link to /dev/zero, named on the pipe or not, instead of blocking or reading for ever', async () => {
    const script = [
      'd="$LODE_EVENT_DIR"',
      'ln -s /dev/zero "$d/1700000000000-1-00000001-deadbeef.json"',
      'mkfifo "$d/1700000000000-1-00000002-deadbeef.json" "$d/1700000000000-1-00000003-deadbeef.json"',
      `echo '{"t":"ref","file":"1700000000000-1-00000001-deadbeef.json"}' >&3`,
      `echo '{"t":"ref","file":"1700000000000-1-00000002-deadbeef.json"}' >&3`,
      `echo '{"t":"result","key":"after","value":1}' >&3`,
    ].join('\n')
    const run = await t.project.run(undefined, {kind: 'exec', command: ['sh', '-c', script]})
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
    expect(run.results).to.deep.equal({after: 1})
    expect(run.warnings).to.deep.equal([
      'event file 1700000000000-1-00000001-deadbeef.json was refused: it is a symbolic link',
      'event file 1700000000000-1-00000002-deadbeef.json was refused: it is not a plain file',
      'event file 1700000000000-1-00000003-deadbeef.json was refused: it is not a plain file',
    ])
  })

  it('does not write events into a file a TypeScript handler opened on fd 3 after closing the pipe', async () => {
    t.write('h.ts', `
      import {closeSync, openSync, writeSync} from 'node:fs'
      export async function handler(ctx) {
        ctx.logResult('before', 1)
        closeSync(3)
        const fd = openSync('own.txt', 'w')
        writeSync(fd, 'mine\\n')
        ctx.logResult('after', fd)
      }`)
    const run = await t.project.run('h.ts')
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
    expect(run.results).to.deep.equal({before: 1, after: 3})
    expect(readFileSync(join(t.dir, 'own.txt'), 'utf8')).to.equal('mine\n')
    expect(readFileSync(join(t.project.store.runDir(run.uid), 'output.log'), 'utf8')).to.contain('is closed or no longer lode\'s')
  })

  it('does not write events into a file a Python handler opened on fd 3 after closing the pipe', async function () {
    const python = TEST_PYTHON
    if (!pythonRuns(python)) this.skip()
    t.write('h.py', `
import os
def handler(context):
    context.log_result('before', 1)
    os.close(3)
    f = open('own.txt', 'w')
    f.write('mine\\n')
    f.flush()
    context.log_result('after', f.fileno())
    f.close()
`)
    const run = await t.project.run('h.py', {python})
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
    expect(run.results).to.deep.equal({before: 1, after: 3})
    expect(readFileSync(join(t.dir, 'own.txt'), 'utf8')).to.equal('mine\n')
  })

  it('waits for a logDataset the handler did not await, and says so on the run', async () => {
    t.write('h.ts', `
      import pl from 'nodejs-polars'
      export async function handler(ctx) {
        ctx.logDataset('frame', pl.DataFrame({a: [1, 2, 3]}))
      }`)
    const run = await t.project.run('h.ts')
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
    expect(run.outputs.frame).to.match(/^store:\/\/datasets\/pipe\/frame@/)
    expect(run.warnings).to.deep.equal(['the handler returned before logDataset("frame") finished: lode waited for it (await every log call)'])
  })

  it('says on the run that a timer was still pending when the handler returned', async () => {
    t.write('h.ts', `
      export async function handler(ctx) {
        setTimeout(() => ctx.logResult('late', 1), 60_000)
        ctx.logResult('now', 1)
      }`)
    const run = await t.project.run('h.ts')
    expect(run.state).to.equal('completed')
    expect(run.results).to.deep.equal({now: 1})
    expect(run.warnings).to.deep.equal(['the handler returned with 1 timer still pending: whatever it would log is lost (await the work before returning)'])
  })

  it('lets `lode log` from a subprocess without fd 3 log through the run\'s event folder', () => {
    const r = lode(['run', '--json', '--kind', 'exec', '--', 'bash', '-c', 'lode log result k 5 3>&- && lode log result j 6'], {cwd: t.dir})
    expect(r.code, r.stderr + r.stdout).to.equal(0)
    const run = json(r).data
    expect(run.results).to.deep.equal({j: 6, k: 5})
    expect(run.warnings).to.deep.equal([])
  })

  it('gives `lode log` outside a running handler a clear error, not a crash', () => {
    const dir = join(t.dir, 'gone')
    const r = lode(['log', 'result', 'k', '5'], {cwd: t.dir, env: {LODE_RUN_SPEC: join(t.dir, 'lode.yaml'), LODE_EVENT_FD: '3', LODE_EVENT_DIR: dir}})
    expect(r.code, r.stderr).to.equal(2)
    expect(r.stderr).to.contain('is not open in this process').and.contain(`event folder ${dir} is gone`)
  })
})

describe('executor: keys that name Object.prototype members', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('proto')
  })
  afterEach(() => t.cleanup())

  const KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty']

  it('keeps results, labels and artifacts named __proto__, constructor, toString, hasOwnProperty', async () => {
    t.write('h.ts', rawHandler([
      ...KEYS.map((key, i) => JSON.stringify({t: 'result', key, value: i})),
      ...KEYS.map((key) => JSON.stringify({t: 'label', key, value: key})),
      JSON.stringify({t: 'artifact', key: 'constructor', kind: 'artifact', path: 'STAGED'}),
    ]))
    const run = await t.project.run('h.ts', {outputs: ['__proto__', 'constructor', 'toString']})
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
    for (const [i, key] of KEYS.entries()) {
      expect(Object.hasOwn(run.results, key), key).to.equal(true)
      expect(Object.hasOwn(run.labels, key), key).to.equal(true)
      expect(Object.getOwnPropertyDescriptor(run.labels, key)?.value).to.equal(key)
      if (key !== 'constructor') expect(Object.getOwnPropertyDescriptor(run.results, key)?.value).to.equal(i)
    }
    // an artifact and a result with the same key: the output is the artifact
    expect(Object.getOwnPropertyDescriptor(run.outputs, 'constructor')?.value).to.match(/^store:\/\/artifacts\/proto\/constructor@/)
  })

  it('counts `-o constructor` or `-o __proto__` as logged only when it was', async () => {
    t.write('h.ts', rawHandler([JSON.stringify({t: 'result', key: 'x', value: 1})]))
    const run = await t.project.run('h.ts', {outputs: ['constructor', '__proto__', 'x']})
    expect(run.state).to.equal('error')
    expect(run.error?.message).to.equal('declared outputs not logged: constructor, __proto__ (logged: x)')
  })
})

describe('executor: results and events of any size', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('size')
  })
  afterEach(() => t.cleanup())

  const refused = /^result "big" refused: 4\.8 MB of JSON is over the 64 kB limit of a result; log it as an artifact instead/

  it('refuses a result over 64 kB of JSON with a warning that says to log it as an artifact (TypeScript)', async () => {
    t.write('h.ts', `export async function handler(ctx) { ctx.logResult('big', 'x'.repeat(5_000_000)); ctx.logResult('small', 1) }`)
    const run = await t.project.run('h.ts')
    expect(run.state).to.equal('completed')
    expect(run.results).to.deep.equal({small: 1})
    expect(run.warnings).to.have.length(1)
    expect(run.warnings[0]).to.match(refused)
  })

  it('refuses a result over 64 kB of JSON with a warning that says to log it as an artifact (Python)', async function () {
    const python = TEST_PYTHON
    if (!pythonRuns(python)) this.skip()
    t.write('h.py', `def handler(context):\n    context.log_result('big', 'x' * 5_000_000)\n    context.log_result('small', 1)\n`)
    const run = await t.project.run('h.py', {python})
    expect(run.state).to.equal('completed')
    expect(run.results).to.deep.equal({small: 1})
    expect(run.warnings[0]).to.match(refused)
  })

  it('fails a TypeScript run that logs a dataset from an array with an error naming the key and what to give', async () => {
    t.write('h.ts', `export async function handler(ctx) { await ctx.logDataset('rows', []) }`)
    const run = await t.project.run('h.ts')
    expect(run.state).to.equal('error')
    expect(run.error?.message).to.equal('TypeError: logDataset("rows"): an array is neither a polars DataFrame nor {localPath: PATH}; make a frame with pl.DataFrame(rows)')
  })

  it('fails a TypeScript run that logs undefined as a result with an error naming the key, not a bare TypeError', async () => {
    t.write('h.ts', `export async function handler(ctx) { ctx.logResult('kept', 1); ctx.logResults({gone: undefined}) }`)
    const run = await t.project.run('h.ts')
    expect(run.state).to.equal('error')
    expect(run.results).to.deep.equal({kept: 1})
    expect(run.error?.message).to.equal('TypeError: logResult("gone"): undefined is not a JSON value; log a number, string, boolean, null, array or object')
  })

  it('refuses an event nested 100,000 levels deep with a warning, and keeps the rest of the run (lode does not crash)', async () => {
    const n = 100_000
    t.write('h.ts', rawHandler([
      `{"t":"result","key":"deep","value":${'['.repeat(n)}${']'.repeat(n)}}`,
      `{"t":"log","level":"info","msg":"m","fields":{"a":${'{"b":'.repeat(n)}1${'}'.repeat(n)}}}`,
      JSON.stringify({t: 'result', key: 'after', value: 1}),
    ]))
    const run = await t.project.run('h.ts')
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
    expect(run.results).to.deep.equal({after: 1})
    expect(run.warnings).to.deep.equal(Array(2).fill('an event nested deeper than 1000 levels was refused: log such a value as an artifact'))
  })

  it('keeps at most 16 MB of results and labels in a run, and cuts warnings and the error, so its record stays small', async () => {
    const big = 'w'.repeat(1_000_000)
    t.write('h.ts', rawHandler([
      ...Array.from({length: 300}, (_, i) => JSON.stringify({t: 'result', key: `r${i}`, value: 'x'.repeat(60_000)})),
      ...Array.from({length: 5}, (_, i) => JSON.stringify({t: 'label', key: `l${i}`, value: big})),
      JSON.stringify({t: 'warning', message: big}),
      JSON.stringify({t: 'error', message: big, stack: big}),
    ]))
    const run = await t.project.run('h.ts')
    expect(run.state).to.equal('error')
    expect(JSON.stringify(run.results).length + JSON.stringify(run.labels).length).to.be.at.most(16 * 1024 * 1024)
    expect(Object.keys(run.results)).to.have.length.above(250)
    expect(run.warnings).to.include('label "l0" refused: the run\'s results and labels would be over 16.0 MB of JSON in all; log large or many values as an artifact')
    expect(run.warnings).to.include(`${'w'.repeat(4096)}... [cut at 4096 characters]`)
    expect(run.error!.message).to.equal(`${'w'.repeat(65_536)}... [cut at 65536 characters]`)
    expect(run.error!.stack).to.have.length(65_536 + '... [cut at 65536 characters]'.length)
  })

  it('refuses a result or a line over the limits that a process writes on the pipe itself', async () => {
    t.write('h.ts', rawHandler([
      JSON.stringify({t: 'result', key: 'big', value: 'x'.repeat(5_000_000)}),
      JSON.stringify({t: 'log', level: 'info', msg: 'y'.repeat(17 * 1024 * 1024)}),
      JSON.stringify({t: 'result', key: 'small', value: 1}),
    ]))
    const run = await t.project.run('h.ts')
    expect(run.state, JSON.stringify(run.error)).to.equal('completed')
    expect(run.results).to.deep.equal({small: 1})
    expect(run.warnings[0]).to.match(refused)
    expect(run.warnings[1]).to.match(/^an event line of 17\.0 MB was refused unread: events are at most 16\.0 MB/)
  })
})

describe('executor: latest after a failed run', function () {
  this.timeout(60_000)
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => {
    t = await tempProject('latest')
  })
  afterEach(() => t.cleanup())

  it('does not move latest to what a failed run logged; its version stays addressable by number and by run', async () => {
    t.write('h.ts', `
      export async function good(ctx) { await ctx.logArtifact('model', {body: 'good'}) }
      export async function bad(ctx) { await ctx.logArtifact('model', {body: 'bad'}); throw new Error('no') }`)
    const good = await t.project.run('h.ts#good')
    const bad = await t.project.run('h.ts#bad')
    expect(bad.state).to.equal('error')
    const {artifacts} = t.project.store
    expect(artifacts.resolve({key: 'model', tag: 'latest'}).producer).to.equal(good.uid)
    expect(artifacts.resolve({key: 'model', tag: 'v2'}).producer).to.equal(bad.uid)
    expect(artifacts.resolve({key: 'model', producer: bad.uid}).version).to.equal(2)
    expect(bad.outputs.model).to.equal(`store://artifacts/latest/model@${bad.uid}`)
    const next = await t.project.run('h.ts#good')
    expect(artifacts.resolve({key: 'model', tag: 'latest'}).producer).to.equal(next.uid)
  })

  it('after rm of the latest version, latest falls back to the newest version of a completed run, not a failed one', async () => {
    t.write('h.ts', `
      export async function good(ctx) { await ctx.logArtifact('model', {body: 'good ' + ctx.params.n}) }
      export async function bad(ctx) { await ctx.logArtifact('model', {body: 'bad'}); throw new Error('no') }`)
    const first = await t.project.run('h.ts#good', {params: {n: 1}})
    expect((await t.project.run('h.ts#bad')).state).to.equal('error')
    await t.project.run('h.ts#good', {params: {n: 2}})
    const {artifacts} = t.project.store
    artifacts.deleteVersions([artifacts.resolve({key: 'model', tag: 'v3'}).id])
    expect(artifacts.resolve({key: 'model', tag: 'latest'}).producer).to.equal(first.uid)
  })
})
