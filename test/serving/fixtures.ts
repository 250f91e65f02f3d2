// Real models for the serving tests: a scikit-learn forest logged by a Python handler with log_model, a model of a
// project class that waits for a gate file (to hold a request in flight), and a lode-ml model of the hub's
// TypeScript learners. Servers are real `lode serve` processes on a free port.
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {json, lode, lodeAsync, ROOT, tempDir, waitUntil, type CliResult} from '../helpers/project.ts'

export const PYTHON = process.env.LODE_TEST_PYTHON ?? '/usr/bin/python3'
export const PY_ENV = {LODE_PYTHON: PYTHON}

const TRAIN_PY = `
import pickle
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier

def train(context, n_estimators: int = 10):
    data = load_breast_cancer(as_frame=True)
    model = RandomForestClassifier(n_estimators=n_estimators, random_state=0).fit(data.data, data.target)
    context.log_model('model', body=pickle.dumps(model), model_file='model.pkl', framework='sklearn',
                      algorithm='RandomForestClassifier', training_set=data.frame, label_column='target')
    data.frame.head(40).to_csv('rows.csv', index=False)
`

// A model of the project's own class: a first feature of 999 holds predict until the file "gate" exists.
const GATE_MODEL_PY = `
import os, time

class GateModel:
    n_features_in_ = 2

    def predict(self, X):
        if X[0][0] == 999:
            with open('started.tmp', 'w') as f:
                f.write(str(os.getpid()))
            os.rename('started.tmp', 'started')
            until = time.time() + 120
            while not os.path.exists('gate') and time.time() < until:
                time.sleep(0.01)
        return [int(r[0] + r[1] > 0) for r in X]


class SlowLoad(GateModel):
    """Its unpickling says it started (the file "loading") and never ends by itself."""

    def __setstate__(self, state):
        with open('loading', 'w') as f:
            f.write(str(os.getpid()))
        time.sleep(600)
`

const GATE_TRAIN_PY = `
import pickle
from gate_model import GateModel, SlowLoad

def train(context):
    context.log_model('gate', body=pickle.dumps(GateModel()), model_file='gate.pkl', framework='sklearn')
    slow = SlowLoad()
    slow.__dict__['x'] = 1  # an instance with state, so unpickling calls __setstate__
    context.log_model('slowload', body=pickle.dumps(slow), model_file='slow.pkl', framework='sklearn')
`

function ok(r: CliResult): CliResult {
  expect(r.code, `${r.stdout}\n${r.stderr}`).to.equal(0)
  return r
}

/** A project with the models `model` (sklearn forest on breast cancer), `gate` (the gate model) and `slowload`. */
export function pythonProject(opts: {gate?: boolean} = {}): {dir: string; write: (rel: string, text: string) => void} {
  const dir = tempDir('lode-serve-')
  ok(lode(['init', '--name', 'served'], {cwd: dir}))
  const write = (rel: string, text: string) => writeFileSync(join(dir, rel), text)
  write('train.py', TRAIN_PY)
  write('gate_model.py', GATE_MODEL_PY)
  write('gate_train.py', GATE_TRAIN_PY)
  ok(lode(['run', 'train.py', '-o', 'model'], {cwd: dir, env: PY_ENV}))
  if (opts.gate !== false) ok(lode(['run', 'gate_train.py', '-o', 'gate', '-o', 'slowload'], {cwd: dir, env: PY_ENV}))
  return {dir, write}
}

/** The built-in hub function holding lode's TypeScript learners (ml/trained-model.ts). */
export function tsLearnersHub(): string {
  const hub = join(ROOT, 'function-hub')
  const name = readdirSync(hub).find((n) => existsSync(join(hub, n, 'ml', 'trained-model.ts')))
  if (!name) throw new Error('no hub function with ml/trained-model.ts')
  return name
}

/** A lode-ml model (key `model`) trained by the TypeScript learners on breast cancer, and its test set. */
export function tsProject(): {dir: string} {
  const dir = tempDir('lode-serve-ts-')
  ok(lode(['init', '--name', 'tsserved'], {cwd: dir}))
  ok(lode(['run', 'hub://load_dataset', '-p', 'name=breast_cancer', '-o', 'dataset'], {cwd: dir}))
  ok(lode(['run', `hub://${tsLearnersHub()}`, '--handler', 'train', '-i', 'dataset=dataset', '-p', 'model_class=RandomForestClassifier',
    '-p', 'CLASS_n_estimators=10', '-p', 'label_columns=label', '-p', 'model_name=cancer', '-o', 'model', '-o', 'test_set'], {cwd: dir}))
  return {dir}
}

export interface Served {
  url: string
  pid: number
  stderr: () => string
  done: Promise<CliResult>
}

/** Start `lode serve` on a free port and wait (polling its stderr) until it says where it listens. */
export async function startServe(dir: string, args: string[]): Promise<Served> {
  const done = lodeAsync(['serve', ...args, '--port', '0'], {cwd: dir, env: PY_ENV})
  let stderr = ''
  done.child.stderr!.on('data', (c: string) => (stderr += c))
  let exited = false
  void done.then(() => (exited = true))
  const up = await waitUntil(() => exited || /Serving .* at http:\/\//.test(stderr), 60_000)
  const url = /at (http:\/\/[^/\s]+)/.exec(stderr)?.[1]
  if (!up || !url) throw new Error(`lode serve did not start:\n${stderr}\n${(await Promise.race([done, Promise.resolve(null)]))?.stdout ?? ''}`)
  return {url, pid: done.child.pid!, stderr: () => stderr, done}
}

export async function infer(url: string, model: string, body: unknown): Promise<{status: number; body: any}> {
  const res = await fetch(`${url}/v2/models/${model}/infer`, {method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: {'content-type': 'application/json'}}).catch((e: Error) => {
    throw new Error(`POST ${url}/v2/models/${model}/infer: ${e.message} (${String((e.cause as Error | undefined)?.message ?? e.cause)})`)
  })
  return {status: res.status, body: await res.json()}
}

/** The processes `pid` started (Linux /proc). */
export function childrenOf(pid: number): number[] {
  const found: number[] = []
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim()
      if (text) found.push(...text.split(/\s+/).map(Number))
    }
  } catch {
    /* gone */
  }
  return found
}

/** The model's own predictions for the rows of rows.csv, computed in one Python process from the stored pickle. */
export function inProcess(dir: string): {rows: number[][]; predict: number[]; proba: number[][]} {
  const out = join(dir, 'model-copy')
  expect(lode(['artifacts', 'get', 'model', '-o', out], {cwd: dir}).code).to.equal(0)
  const script = `
import json, pickle, sys, csv, warnings
warnings.filterwarnings('ignore', message='X does not have valid feature names')
model = pickle.load(open(sys.argv[1], 'rb'))
rows = [[float(v) for v in r[:-1]] for r in list(csv.reader(open(sys.argv[2])))[1:]]
import numpy as np
x = np.asarray(rows)
print(json.dumps({'rows': rows, 'predict': model.predict(x).tolist(), 'proba': model.predict_proba(x).tolist()}))
`
  return JSON.parse(execFileSync(PYTHON, ['-c', script, join(out, 'model.pkl'), join(dir, 'rows.csv')], {encoding: 'utf8'}))
}

export {json, lode}
