// `lode serve` under load against the model's own predict in-process (issue 15's serving target).
// Run: node bench/serve.ts   (after npm run build; LODE_PYTHON or LODE_TEST_PYTHON: a Python with scikit-learn)
//
// A scikit-learn RandomForestClassifier (100 trees, breast cancer) is logged by a Python handler (a real run), then
// served by the real `lode serve` with 2 workers. autocannon, in its own process, sends 20,000 requests of one row
// each from 32 concurrent connections. The baseline is the same pickle's predict() on one row in one Python process
// (what a caller that loads the model itself pays), measured right before and right after the load, and the median of
// both taken. Targets: median latency <= baseline + 2 ms, p99 <= 4x the median, no errors (non-2xx or failed).
import {spawn, spawnSync} from 'node:child_process'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {BIN, median, report, tmp} from './lib.ts'

const PYTHON = process.env.LODE_PYTHON ?? process.env.LODE_TEST_PYTHON ?? '/usr/bin/python3'
const REQUESTS = 20_000
const CONNECTIONS = 32
const WORKERS = 2

const TRAIN = `
import pickle
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier

def train(context):
    data = load_breast_cancer(as_frame=True)
    model = RandomForestClassifier(n_estimators=100, random_state=0).fit(data.data, data.target)
    context.log_model('model', body=pickle.dumps(model), model_file='model.pkl', framework='sklearn', training_set=data.frame, label_column='target')
`

// predict() on one row at a time, as the server's callers send them; prints the per-call times in ms
const IN_PROCESS = `
import json, pickle, sys, time, warnings
import numpy as np
from sklearn.datasets import load_breast_cancer
warnings.filterwarnings('ignore', message='X does not have valid feature names')
model = pickle.load(open(sys.argv[1], 'rb'))
rows = load_breast_cancer().data
times = []
for i in range(int(sys.argv[2])):
    x = np.asarray([rows[i % len(rows)].tolist()], dtype=float)
    t0 = time.perf_counter()
    model.predict(x)
    times.append((time.perf_counter() - t0) * 1000)
print(json.dumps(times[50:]))
`

function lode(args: string[], cwd: string): string {
  const r = spawnSync(process.execPath, [BIN, ...args], {cwd, encoding: 'utf8', env: {...process.env, CI: '1', LODE_PYTHON: PYTHON}})
  if (r.status !== 0) throw new Error(`lode ${args.join(' ')} failed (${r.status}): ${r.stderr}`)
  return r.stdout
}

function inProcess(modelFile: string): number[] {
  const r = spawnSync(PYTHON, ['-c', IN_PROCESS, modelFile, '1050'], {encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`in-process predict failed: ${r.stderr}`)
  return JSON.parse(r.stdout) as number[]
}

async function startServer(dir: string): Promise<{url: string; stop: () => Promise<void>}> {
  const child = spawn(process.execPath, [BIN, 'serve', 'model', '--port', '0', '--workers', String(WORKERS)], {cwd: dir, env: {...process.env, CI: '1', LODE_PYTHON: PYTHON}, stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
  const until = Date.now() + 120_000
  while (!/ at (http:\/\/\S+)\/v2\/models\//.test(stderr)) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`lode serve did not start:\n${stderr}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  const url = / at (http:\/\/\S+)\/v2\/models\//.exec(stderr)![1]!
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {url, stop: async () => {
    child.kill('SIGTERM')
    await exited
  }}
}

interface Load {
  p50: number
  p99: number
  mean: number
  requests: number
  errors: number
  non2xx: number
  timeouts: number
  rps: number
}

/** autocannon in its own process; its JSON summary. */
function load(url: string, body: string, amount: number): Load {
  const cli = join(createRequire(import.meta.url).resolve('autocannon/package.json'), '..', 'autocannon.js')
  const r = spawnSync(process.execPath, [cli, '-c', String(CONNECTIONS), '-a', String(amount), '-m', 'POST', '-H', 'content-type=application/json', '-b', body, '-j', url], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
  if (r.status !== 0) throw new Error(`autocannon failed (${r.status}): ${r.stderr}`)
  const s = JSON.parse(r.stdout)
  return {p50: s.latency.p50, p99: s.latency.p99, mean: s.latency.average, requests: s.requests.total, errors: s.errors, non2xx: s.non2xx, timeouts: s.timeouts, rps: s.requests.average}
}

const dir = tmp('lode-bench-serve-')
try {
  lode(['init', '--name', 'bench'], dir)
  writeFileSync(join(dir, 'train.py'), TRAIN)
  lode(['run', 'train.py', '-o', 'model'], dir)
  lode(['artifacts', 'get', 'model', '-o', join(dir, 'model-copy')], dir)
  const modelFile = join(dir, 'model-copy', 'model.pkl')
  const row = JSON.parse(spawnSync(PYTHON, ['-c', 'import json; from sklearn.datasets import load_breast_cancer; print(json.dumps(load_breast_cancer().data[0].tolist()))'], {encoding: 'utf8'}).stdout) as number[]
  const body = JSON.stringify({inputs: [{name: 'input-0', shape: [1, row.length], datatype: 'FP64', data: row}]})
  const server = await startServer(dir)
  let result: Load
  const baseline: number[] = []
  try {
    load(`${server.url}/v2/models/model/infer`, body, 1000) // warm-up: connections, both workers' first predicts
    baseline.push(...inProcess(modelFile))
    result = load(`${server.url}/v2/models/model/infer`, body, REQUESTS)
    baseline.push(...inProcess(modelFile))
  } finally {
    await server.stop()
  }
  const base = median(baseline)
  console.log(`serving RandomForestClassifier (100 trees), ${CONNECTIONS} connections, ${WORKERS} workers, ${result.requests} requests of one row: ` +
    `median ${result.p50} ms, p99 ${result.p99} ms, mean ${result.mean.toFixed(2)} ms, ${Math.round(result.rps)} requests/s; in-process predict of one row: median ${base.toFixed(2)} ms`)
  report('serve: median latency vs in-process predict', result.p50, base, '<= +2 ms')
  report('serve: p99 latency vs its median', result.p99, result.p50, '<= 4x')
  const failed = result.errors + result.non2xx + result.timeouts
  console.log(`serve: failed requests                       ${failed} of ${result.requests} (errors ${result.errors}, non-2xx ${result.non2xx}, timeouts ${result.timeouts})  (target 0)${failed === 0 ? '  PASS' : '  MISS'}`)
  if (failed > 0 || result.requests < REQUESTS) process.exitCode = 1
} finally {
  rmSync(dir, {recursive: true, force: true})
}
