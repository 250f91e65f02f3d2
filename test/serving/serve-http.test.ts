// `lode serve` end to end: a real server on a free port, real Python workers, real HTTP. The V2 endpoints, the
// same predictions as the model gives in-process, hostile and malformed requests (the server keeps serving),
// a worker killed mid-request (503, then replaced), and SIGTERM/SIGINT draining what is in flight.
import {expect} from 'chai'
import {existsSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {request} from 'node:http'
import {join} from 'node:path'
import {isGone, lodeAsync, waitUntil} from '../helpers/project.ts'
import {childrenOf, infer, inProcess, json, lode, PY_ENV, pythonProject, startServe, type Served} from './fixtures.ts'

/** POST a body of `mb` MB in 1 MB chunks (no Content-Length), stopping once the server answers. */
function postHuge(url: string, path: string, mb: number, declared?: number): Promise<{status: number; body: any}> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, {method: 'POST', headers: declared ? {'content-length': String(declared)} : {}}, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({status: res.statusCode ?? 0, body: JSON.parse(text)}))
    })
    let answered = false
    // the server may close the connection once it answered and dropped what it would read: not a failure then
    req.on('error', (e) => answered || reject(e))
    const chunk = Buffer.alloc(1024 * 1024, '1')
    let sent = 0
    req.once('response', () => (answered = true))
    const pump = () => {
      while (!answered && sent < mb) {
        sent++
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      if (!answered && !declared) req.end()
    }
    req.write('{"inputs": [{"name": "x", "shape": [1, 30], "datatype": "FP64", "data": [')
    pump()
  })
}

describe('lode serve (V2 protocol, Python workers)', function () {
  this.timeout(180_000)
  let dir: string
  let served: Served
  const row = (values: number[]) => ({inputs: [{name: 'input-0', shape: [1, values.length], datatype: 'FP64', data: values}]})

  before(async () => {
    dir = pythonProject().dir
    served = await startServe(dir, ['model', '--workers', '2'])
  })
  after(async () => {
    if (served && !(await isGone(served.pid, 0))) {
      process.kill(served.pid, 'SIGKILL')
      await served.done
    }
    rmSync(dir, {recursive: true, force: true})
  })

  it('answers health, model metadata and infer with the predictions the model gives in-process', async () => {
    expect(await (await fetch(`${served.url}/v2/health/live`)).json()).to.deep.equal({live: true})
    expect(await (await fetch(`${served.url}/v2/health/ready`)).json()).to.deep.equal({ready: true})
    const meta = (await (await fetch(`${served.url}/v2/models/model`)).json()) as any
    expect(meta.name).to.equal('model')
    expect(meta.versions).to.deep.equal(['v1'])
    expect(meta.inputs).to.deep.equal([{name: 'input-0', datatype: 'FP64', shape: [-1, 30]}])
    expect(meta.outputs.map((o: any) => o.name)).to.deep.equal(['predict', 'predict_proba'])
    expect(meta.parameters.feature_names).to.have.length(30)

    const expected = inProcess(dir)
    const n = expected.rows.length
    const all = await infer(served.url, 'model', {id: 'r1', inputs: [{name: 'input-0', shape: [n, 30], datatype: 'FP64', data: expected.rows}], outputs: [{name: 'predict'}, {name: 'predict_proba'}]})
    expect(all.status, JSON.stringify(all.body)).to.equal(200)
    expect(all.body.id).to.equal('r1')
    expect(all.body.model_name).to.equal('model')
    const [predict, proba] = all.body.outputs
    expect(predict).to.deep.include({name: 'predict', datatype: 'INT64', shape: [n]})
    expect(predict.data).to.deep.equal(expected.predict)
    expect(proba).to.deep.include({name: 'predict_proba', datatype: 'FP64', shape: [n, 2]})
    expect(proba.data).to.deep.equal(expected.proba.flat())

    // one row a request, many at once: each gets its own answer
    const single = await Promise.all(expected.rows.map((r) => infer(served.url, 'model', row(r))))
    expect(single.map((s) => s.body.outputs[0].data[0])).to.deep.equal(expected.predict)

    // one input per feature, named as the model's features, flat data
    const names: string[] = meta.parameters.feature_names
    const byFeature = await infer(served.url, 'model', {inputs: names.map((name, j) => ({name, shape: [2], datatype: 'FP64', data: [expected.rows[0]![j], expected.rows[1]![j]]}))})
    expect(byFeature.status, JSON.stringify(byFeature.body)).to.equal(200)
    expect(byFeature.body.outputs[0].data).to.deep.equal(expected.predict.slice(0, 2))
  })

  it('refuses malformed, mistyped, misshapen and oversized requests with a 4xx JSON error, and keeps serving', async () => {
    const cases: [unknown, number, RegExp][] = [
      ['{"inputs": [', 400, /not valid JSON/],
      ['[1, 2]', 400, /JSON object with "inputs"/],
      [{inputs: []}, 400, /non-empty list/],
      [row([1, 2, 3]), 400, /takes 30 features a row/],
      [{inputs: [{name: 'x', shape: [1, 30], datatype: 'FP64', data: [...Array(29).fill(1), 'a']}]}, 400, /element 29 is "a", not a number/],
      [{inputs: [{name: 'x', shape: [1, 30], datatype: 'INT64', data: [...Array(29).fill(1), 1.5]}]}, 400, /not an integer/],
      [{inputs: [{name: 'x', shape: [1, 30], datatype: 'BYTES', data: Array(30).fill('1')}]}, 400, /takes numbers/],
      [{inputs: [{name: 'x', shape: [1, 30], datatype: 'FP128', data: Array(30).fill(1)}]}, 400, /"datatype" must be one of/],
      [{inputs: [{name: 'x', shape: [2, 30], datatype: 'FP64', data: Array(30).fill(1)}]}, 400, /holds 60 values, but "data" has 30/],
      [{inputs: [{name: 'x', shape: [-1, 30], datatype: 'FP64', data: []}]}, 400, /non-negative integers/],
      [{inputs: [{name: 'mean radius', shape: [1], datatype: 'FP64', data: [1]}]}, 400, /Missing inputs for features/],
      [{inputs: [{name: 'x', shape: [1, 30], datatype: 'FP64', data: Array(30).fill(1)}], outputs: [{name: 'nope'}]}, 400, /Unknown output "nope"/],
    ]
    for (const [body, status, message] of cases) {
      const r = await infer(served.url, 'model', body)
      expect(r.status, JSON.stringify(body).slice(0, 80)).to.equal(status)
      expect(r.body.error).to.match(message)
    }
    const unknown = await infer(served.url, 'other', row(Array(30).fill(1)))
    expect(unknown.status).to.equal(404)
    expect(unknown.body.error).to.match(/serves "model"/)
    expect((await fetch(`${served.url}/v2/models/model/infer`)).status).to.equal(405)

    const declared = await postHuge(served.url, '/v2/models/model/infer', 1, 100 * 1024 * 1024)
    expect(declared.status).to.equal(413)
    expect(declared.body.error).to.match(/larger than 16 MB/)
    const streamed = await postHuge(served.url, '/v2/models/model/infer', 100)
    expect(streamed.status).to.equal(413)

    const after = await infer(served.url, 'model', row(inProcess(dir).rows[0]!))
    expect(after.status).to.equal(200)
  })

  it('answers 503 for a request whose worker dies, replaces the worker, and keeps serving', async () => {
    const gate = await startServe(dir, ['gate', '--workers', '2'])
    try {
      const workers = () => childrenOf(gate.pid)
      expect(await waitUntil(() => workers().length === 2, 30_000)).to.equal(true)
      const held = infer(gate.url, 'gate', {inputs: [{name: 'x', shape: [1, 2], datatype: 'FP64', data: [999, 1]}]})
      expect(await waitUntil(() => existsSync(join(dir, 'started')), 30_000)).to.equal(true)
      const victim = Number(readFileSync(join(dir, 'started'), 'utf8'))
      process.kill(victim, 'SIGKILL')
      const lost = await held
      expect(lost.status).to.equal(503)
      expect(lost.body.error).to.match(/worker answering this request died/)
      expect(await waitUntil(() => workers().length === 2 && !workers().includes(victim), 30_000)).to.equal(true)
      // both workers answer again (more requests than one batch can hold back)
      const answers = await Promise.all(Array.from({length: 8}, (_, i) => infer(gate.url, 'gate', {inputs: [{name: 'x', shape: [1, 2], datatype: 'FP64', data: [i, 1]}]})))
      expect(answers.map((a) => a.status)).to.deep.equal(Array(8).fill(200))
      expect(gate.stderr()).to.match(/worker \d+ died \(SIGKILL\); starting another/)
    } finally {
      rmSync(join(dir, 'started'), {force: true})
      process.kill(gate.pid, 'SIGKILL')
      await gate.done
    }
  })

  it('says it is not ready once its last worker died and the model no longer loads, and answers 503', async () => {
    const alone = await startServe(dir, ['model', '--workers', '1'])
    try {
      expect(await waitUntil(() => childrenOf(alone.pid).length === 1, 30_000)).to.equal(true)
      const worker = childrenOf(alone.pid)[0]!
      // the worker's last argument is the server's copy of the model: a replacement loads it again
      const copy = readFileSync(`/proc/${worker}/cmdline`, 'utf8').split('\0').filter(Boolean).pop()!
      writeFileSync(copy, 'not a pickle')
      process.kill(worker, 'SIGKILL')
      expect(await waitUntil(() => /replacement worker could not load the model/.test(alone.stderr()), 30_000)).to.equal(true)
      const ready = await fetch(`${alone.url}/v2/health/ready`)
      expect(ready.status).to.equal(503)
      expect(await ready.json()).to.deep.equal({ready: false})
      expect((await fetch(`${alone.url}/v2/models/model/ready`)).status).to.equal(503)
      expect((await fetch(`${alone.url}/v2/health/live`)).status).to.equal(200)
      const refused = await infer(alone.url, 'model', row(inProcess(dir).rows[0]!))
      expect(refused.status).to.equal(503)
      expect(refused.body.error).to.match(/No worker is running/)
    } finally {
      process.kill(alone.pid, 'SIGKILL')
      await alone.done
    }
  })

  it('on SIGTERM stops taking requests, answers the one in flight, ends its workers and exits 0', async () => {
    const gate = await startServe(dir, ['gate', '--workers', '1', '--drain-timeout', '120'])
    expect(await waitUntil(() => childrenOf(gate.pid).length === 1, 30_000)).to.equal(true)
    const workers = childrenOf(gate.pid)
    const held = infer(gate.url, 'gate', {inputs: [{name: 'x', shape: [1, 2], datatype: 'FP64', data: [999, 1]}]})
    expect(await waitUntil(() => existsSync(join(dir, 'started')), 30_000)).to.equal(true)
    process.kill(gate.pid, 'SIGTERM')
    expect(await waitUntil(() => /answering the requests in flight/.test(gate.stderr()), 30_000)).to.equal(true)
    const refused = await fetch(`${gate.url}/v2/health/ready`).then(() => 'answered', () => 'refused')
    expect(refused).to.equal('refused')
    writeFileSync(join(dir, 'gate'), '')
    const answered = await held
    expect(answered.status).to.equal(200)
    expect(answered.body.outputs[0].data).to.deep.equal([1])
    const end = await gate.done
    expect(end.code, end.stderr).to.equal(0)
    for (const pid of workers) expect(await isGone(pid)).to.equal(true)
    rmSync(join(dir, 'started'), {force: true})
    rmSync(join(dir, 'gate'), {force: true})
  })

  it('with --log-requests records every request (features, prediction, status, latency) as a dataset of the model, by a run that read it', async () => {
    const logged = await startServe(dir, ['model', '--workers', '1', '--name', 'cancer', '--log-requests'])
    const expected = inProcess(dir)
    const two = await infer(logged.url, 'cancer', {inputs: [{name: 'input-0', shape: [2, 30], datatype: 'FP64', data: expected.rows.slice(0, 2)}]})
    expect(two.status).to.equal(200)
    expect((await infer(logged.url, 'cancer', '{"inputs": nope')).status).to.equal(400)
    process.kill(logged.pid, 'SIGTERM')
    const end = await logged.done
    expect(end.code, end.stderr).to.equal(0)
    expect(end.stderr).to.match(/logged 2 requests to store:\/\/datasets\/served\/cancer-requests@/)
    const preview = json(lode(['artifacts', 'get', 'cancer-requests', '--preview', '10', '--json'], {cwd: dir})).data
    const col = (name: string) => preview.rows.map((r: unknown[]) => r[preview.columns.indexOf(name)])
    expect(preview.columns.slice(0, 5)).to.deep.equal(['request', 'time', 'status', 'latency_ms', 'mean radius'])
    expect(preview.columns.slice(-2)).to.deep.equal(['predict', 'error'])
    expect(col('request')).to.deep.equal([1, 1, 2])
    expect(col('status')).to.deep.equal([200, 200, 400])
    expect(col('mean radius')).to.deep.equal([expected.rows[0]![0], expected.rows[1]![0], null])
    expect(col('predict')).to.deep.equal([...expected.predict.slice(0, 2), null])
    expect(col('error')[2]).to.match(/not valid JSON/)
    expect(col('latency_ms').every((ms: number) => typeof ms === 'number' && ms >= 0)).to.equal(true)
    const run = json(lode(['runs', 'ls', '--name', 'serve-cancer', '--json'], {cwd: dir})).data[0]
    expect(run.state).to.equal('completed')
    expect(run.results).to.include({requests: 2, errors: 1})
    const lineage = json(lode(['artifacts', 'lineage', 'cancer-requests', '--json'], {cwd: dir})).data
    expect(JSON.stringify(lineage)).to.include('store://models/served/model')
  })

  it('on Ctrl-C while the model is still loading exits 130 at once, ending the workers and removing the copy', async () => {
    const loading = lodeAsync(['serve', 'slowload', '--port', '0', '--workers', '1'], {cwd: dir, env: PY_ENV})
    expect(await waitUntil(() => existsSync(join(dir, 'loading')), 60_000)).to.equal(true)
    const worker = Number(readFileSync(join(dir, 'loading'), 'utf8'))
    process.kill(loading.child.pid!, 'SIGINT')
    const end = await loading
    expect(end.code, end.stderr).to.equal(130)
    expect(end.stderr).to.match(/Ctrl-C: stopping without waiting/)
    expect(await isGone(worker)).to.equal(true)
    expect(readdirSync(join(dir, '.lode', 'tmp')).filter((n) => n.startsWith(`serve-${loading.child.pid}-`))).to.deep.equal([])
    rmSync(join(dir, 'loading'), {force: true})
  })

  it('on Ctrl-C (SIGINT) with nothing in flight exits 0 and leaves no worker running', async () => {
    const workers = childrenOf(served.pid)
    expect(workers).to.have.length(2)
    process.kill(served.pid, 'SIGINT')
    const end = await served.done
    expect(end.code, end.stderr).to.equal(0)
    expect(end.stderr).to.match(/Ctrl-C: answering the requests in flight/)
    for (const pid of workers) expect(await isGone(pid)).to.equal(true)
  })
})
