// Monitoring (`lode serve --log-requests`): every infer request appended, as it is answered, to a CSV file outside
// the store: one line a predicted row (its request number, time, status, latency, features and prediction),
// one line for a refused request. When the server stops, a recorded run (`serve-NAME`, reading the model) logs the
// file as the dataset NAME-requests: lineage from the model to what it was asked, like any other artifact.
import {createWriteStream, mkdtempSync, rmSync, type WriteStream} from '../util/fs.ts'
import {tmpdir} from 'node:os'
import {extname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Project} from '../project/project.ts'
import {csvCell} from '../runs/export.ts'
import type {Run} from '../types.ts'
import type {RequestRecord} from './server.ts'
import type {ModelInfo} from './types.ts'

export class RequestLog {
  readonly key: string
  private readonly dir: string
  private readonly file: string
  private readonly out: WriteStream
  private readonly columns: string[]
  private readonly latencies: number[] = []
  private errors = 0
  private readonly info: ModelInfo

  constructor(info: ModelInfo) {
    this.info = info
    this.key = `${info.name}-requests`
    this.dir = mkdtempSync(join(tmpdir(), 'lode-requests-'))
    this.file = join(this.dir, 'requests.csv')
    this.out = createWriteStream(this.file)
    this.columns = info.featureNames ?? Array.from({length: info.features ?? 0}, (_, j) => `input_${j}`)
    this.out.write(line(['request', 'time', 'status', 'latency_ms', ...this.columns, 'predict', 'error']))
  }

  get count(): number {
    return this.latencies.length
  }

  add(r: RequestRecord): void {
    const request = this.latencies.length + 1
    this.latencies.push(r.latencyMs)
    if (r.status !== 200) this.errors++
    const base = [request, new Date(r.ts).toISOString(), r.status, Math.round(r.latencyMs * 1000) / 1000]
    const rows = r.rows ?? []
    if (!rows.length || !r.prediction) {
      this.out.write(line([...base, ...this.columns.map(() => null), null, r.error]))
      return
    }
    let text = ''
    rows.forEach((row, i) => (text += line([...base, ...this.columns.map((_, j) => row[j] ?? null), r.prediction!.predict[i] ?? null, null])))
    this.out.write(text)
  }

  /** Record the log as a run of its own that reads the model; the dataset's URI, or null with nothing to log. */
  async store(project: Project): Promise<{uri: string | null; run: Run | null}> {
    await new Promise<void>((resolve, reject) => this.out.end((e?: Error | null) => (e ? reject(e) : resolve())))
    try {
      if (!this.latencies.length) return {uri: null, run: null}
      const sorted = [...this.latencies].sort((a, b) => a - b)
      const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 1000) / 1000
      const here = fileURLToPath(import.meta.url)
      const run = await project.run(join(here, '..', `request-log-handler${extname(here)}`), {
        handler: 'logRequests',
        name: `serve-${this.info.name}`,
        inputs: {model: this.info.uri, requests: this.file},
        params: {key: this.key, request_count: this.latencies.length, errors: this.errors, latency_p50_ms: at(0.5), latency_p99_ms: at(0.99)},
        labels: {model: this.info.name},
        outputs: [this.key],
      })
      const uri = run.outputs[this.key]
      return {uri: typeof uri === 'string' ? uri : null, run}
    } finally {
      rmSync(this.dir, {recursive: true, force: true})
    }
  }
}

function line(cells: (string | number | boolean | null)[]): string {
  return `${cells.map((c) => (c === null ? '' : csvCell(String(c)))).join(',')}\n`
}
