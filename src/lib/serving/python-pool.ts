// N Python workers, each holding the model once. Requests wait in one queue; an idle worker takes all that wait
// (up to MAX_BATCH_ROWS rows) as one batch: a forest predicts 32 rows in about the time of one, so under load the
// latency stays near one predict. A worker that dies fails its batch (WorkerLostError: HTTP 503) and is replaced.
import {UserError} from '../errors.ts'
import {ModelError, type ModelInfo, type Prediction, type Predictor, WorkerLostError} from './types.ts'
import {startPythonWorker, type WorkerAnswer, type WorkerHello, type WorkerProcess} from './worker-process.ts'

const MAX_BATCH_ROWS = 4096

interface Job {
  rows: number[][]
  proba: boolean
  resolve: (p: Prediction) => void
  reject: (e: Error) => void
}

interface Slot {
  worker: WorkerProcess
  ready: boolean
  batch: {id: number; jobs: Job[]} | null
}

export interface PoolOptions {
  cwd: string
  python?: string
  workers: number
  /** said on stderr: a worker replaced, and why */
  note?: (text: string) => void
}

export class PythonPool implements Predictor {
  readonly info: ModelInfo
  private readonly slots: Slot[] = []
  private readonly queue: Job[] = []
  private nextId = 1
  private closing = false
  private readonly modelFile: string
  private readonly opts: PoolOptions

  private constructor(info: ModelInfo, modelFile: string, opts: PoolOptions) {
    this.info = info
    this.modelFile = modelFile
    this.opts = opts
  }

  /** Start the workers and wait until each loaded the model; a model that does not load is the user's error. */
  static async start(modelFile: string, base: Pick<ModelInfo, 'name' | 'version' | 'uri'>, opts: PoolOptions): Promise<PythonPool> {
    const workers = Array.from({length: opts.workers}, () => startPythonWorker(modelFile, opts))
    let hellos: WorkerHello[]
    try {
      hellos = await Promise.all(workers.map((w) => w.ready))
    } catch (error) {
      await Promise.all(workers.map((w) => w.stop(200)))
      throw new UserError(`The model ${base.uri} could not be loaded by Python: ${(error as Error).message}`,
        'Check that the interpreter (--python, LODE_PYTHON) has the model\'s libraries (scikit-learn) and that the model file is a pickle with a predict() method.')
    }
    const h = hellos[0]!
    const pool = new PythonPool({...base, platform: 'sklearn', algorithm: h.algorithm, features: h.features, featureNames: h.feature_names, classes: h.classes, hasProba: h.has_proba}, modelFile, opts)
    for (const w of workers) pool.adopt(w)
    return pool
  }

  pids(): number[] {
    return this.slots.filter((s) => s.ready).map((s) => s.worker.pid)
  }

  ready(): boolean {
    return !this.closing && this.slots.length > 0  // a replacement still loading counts: requests wait for it
  }

  predict(rows: number[][], proba: boolean): Promise<Prediction> {
    if (this.closing) return Promise.reject(new WorkerLostError('The server is stopping.'))
    if (!this.slots.length) return Promise.reject(new WorkerLostError('No worker is running: the model could not be loaded again.'))
    return new Promise((resolve, reject) => {
      this.queue.push({rows, proba, resolve, reject})
      this.dispatch()
    })
  }

  async close(): Promise<void> {
    this.closing = true
    for (const job of this.queue.splice(0)) job.reject(new WorkerLostError('The server is stopping.'))
    await Promise.all(this.slots.map((s) => s.worker.stop()))
  }

  private adopt(worker: WorkerProcess, ready = true): Slot {
    const slot: Slot = {worker, ready, batch: null}
    this.slots.push(slot)
    worker.onAnswer((a) => this.answer(slot, a))
    void worker.exited.then((e) => this.lost(slot, e.signal ?? `exit code ${e.code}`, e.stderr))
    return slot
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!this.queue.length) return
      if (!slot.ready || slot.batch) continue
      const jobs: Job[] = [this.queue.shift()!]
      let rows = jobs[0]!.rows.length
      while (this.queue.length && rows + this.queue[0]!.rows.length <= MAX_BATCH_ROWS) {
        const next = this.queue.shift()!
        rows += next.rows.length
        jobs.push(next)
      }
      const id = this.nextId++
      slot.batch = {id, jobs}
      const all = jobs.length === 1 ? jobs[0]!.rows : jobs.flatMap((j) => j.rows)
      slot.worker.send(JSON.stringify({id, rows: all, proba: jobs.some((j) => j.proba)}))
    }
  }

  private answer(slot: Slot, a: WorkerAnswer): void {
    const batch = slot.batch
    if (!batch || batch.id !== a.id) return
    slot.batch = null
    if (a.error !== undefined || !Array.isArray(a.predict)) {
      for (const job of batch.jobs) job.reject(new ModelError(a.error ?? 'the worker answered without predictions'))
    } else {
      let at = 0
      for (const job of batch.jobs) {
        const n = job.rows.length
        job.resolve({predict: a.predict.slice(at, at + n) as Prediction['predict'], proba: a.proba ? a.proba.slice(at, at + n) : null})
        at += n
      }
    }
    this.dispatch()
  }

  /** A worker is gone: fail what it held, and start another in its place (unless the server is stopping). */
  private lost(slot: Slot, how: string, stderr: string): void {
    const i = this.slots.indexOf(slot)
    if (i < 0) return
    this.slots.splice(i, 1)
    const batch = slot.batch
    slot.batch = null
    for (const job of batch?.jobs ?? []) job.reject(new WorkerLostError(`The worker answering this request died (${how}); it is being replaced, try again.`))
    if (this.closing) return
    const tail = stderr.trim().split('\n').slice(-3).join(' | ')
    if (!slot.ready) {
      // a replacement that never loaded the model: starting yet another would loop
      this.opts.note?.(`a replacement worker could not load the model (${how})${tail ? `: ${tail}` : ''}`)
      if (!this.slots.length) for (const job of this.queue.splice(0)) job.reject(new WorkerLostError('No worker could load the model again.'))
      return
    }
    this.opts.note?.(`worker ${slot.worker.pid} died (${how})${tail ? `: ${tail}` : ''}; starting another`)
    const fresh = this.adopt(startPythonWorker(this.modelFile, this.opts), false)
    fresh.worker.ready.then(() => {
      fresh.ready = true
      this.dispatch()
    }, () => {})
  }
}
