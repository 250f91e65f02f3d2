// Domain types shared by commands, lib, views and the SDK. Keep this module free of runtime imports.

export type RunState = 'created' | 'queued' | 'running' | 'completed' | 'error' | 'aborted'
export const RUN_STATES: readonly RunState[] = ['created', 'queued', 'running', 'completed', 'error', 'aborted']
/** States of a run not over yet: `queued` is a cluster job waiting for its turn. */
export const LIVE_STATES: readonly RunState[] = ['created', 'queued', 'running']

export type FunctionKind = 'node' | 'python' | 'exec'
export type ArtifactKind = 'artifact' | 'dataset' | 'model' | 'plot' | 'dir'
export const ARTIFACT_KINDS: readonly ArtifactKind[] = ['artifact', 'dataset', 'model', 'plot', 'dir']

export type Scalar = string | number | boolean | null
export type JsonValue = Scalar | JsonValue[] | {[key: string]: JsonValue}

/** What a run read for one input: the address given, where it was found, and the exact bytes. */
export interface RunInput {
  key: string
  /** what the user gave: a path, file://, store:// or a short form */
  url: string
  /** absolute local path handed to the handler */
  path: string
  sha256: string
  size: number
  /** the artifact version read, when the input came from the store */
  artifact?: {id: number; key: string; kind: ArtifactKind; uri: string}
}

export interface RunError {
  message: string
  stack?: string
  exitCode?: number | null
  signal?: string | null
}

export interface Run {
  uid: string
  name: string
  project: string
  kind: FunctionKind
  /** the function as given: a path relative to the project, hub://name:version, or a command line */
  function: string
  handler: string | null
  state: RunState
  labels: Record<string, string>
  params: Record<string, JsonValue>
  inputs: Record<string, RunInput>
  /** declared output keys (-o) */
  declaredOutputs: string[]
  /** output key -> a URI pinned to the exact artifact version, or the result's value */
  outputs: Record<string, JsonValue>
  results: Record<string, JsonValue>
  error: RunError | null
  exitCode: number | null
  signal: string | null
  pid: number | null
  host: string
  codeHash: string | null
  workflowId: string | null
  step: string | null
  /** the run that made this one (a hyperparameter parent, a pipeline); null for a top-level run */
  parent: string | null
  /** a hyperparameter iteration's number (1..N); null otherwise */
  iter: number | null
  /** names of the secrets given to the run (never their values) */
  secrets?: string[]
  /** where a run not on lode's own machine ran: its runtime, job id, and why it waits while queued */
  job?: RunJob | null
  created: number
  started: number | null
  ended: number | null
  /** what lode refused or noticed while the run ran (a bad key, an invalid event, a result over the limit...) */
  warnings: string[]
}

/** Where a run executes: in a local process (the default) or as a job of a cluster scheduler, with its resources. */
export type RuntimeSpec =
  | {name: 'local'}
  | {name: 'slurm'; partition?: string; time?: string; mem?: string; cpus?: number; gres?: string; args?: string[]; pack?: number}

export interface RunJob {
  runtime: 'slurm'
  id: string
  /** the scheduler's reason a queued job waits (Priority, Resources...) */
  reason?: string
}

export interface ArtifactVersion {
  id: number
  key: string
  kind: ArtifactKind
  /** 1, 2, 3 ... per key, in the order logged */
  version: number
  iter: number
  sha256: string
  size: number
  format: string
  producer: string | null
  created: number
  labels: Record<string, string>
  tags: string[]
  /** the URI pinned to this version: store://<kinds>/<project>/<key>#<iter>@<producer> */
  uri: string
  /** kind-specific metadata; absent from list queries */
  meta?: ArtifactMeta
}

export interface ColumnStats {
  name: string
  dtype: string
  count: number
  nulls: number
  min?: number | string | null
  max?: number | string | null
  mean?: number | null
  std?: number | null
  /** 25%, 50%, 75% */
  quantiles?: {q25: number | null; q50: number | null; q75: number | null}
  /**
   * Set on large columns: the quantiles and the histogram come from this many evenly spaced rows (histogram
   * counts scaled up to the column); count, nulls, min, max, mean, std and distinct are always exact.
   */
  sampledRows?: number
  /** distinct values, for strings (and booleans/categoricals) */
  distinct?: number
  /** 20 equal-width bins between min and max, for numeric columns */
  histogram?: {edges: number[]; counts: number[]}
}

export interface DatasetMeta {
  schema: {name: string; dtype: string}[]
  rows: number
  stats: ColumnStats[] | null
  preview: {columns: string[]; rows: JsonValue[][]} | null
}

export interface ModelMeta {
  framework: string
  algorithm: string
  modelFile: string | null
  metrics: Record<string, number>
  parameters: Record<string, JsonValue>
  inputs?: {name: string; dtype: string}[]
  outputs?: {name: string; dtype: string}[]
  extraData: string[]
}

export interface DirEntry {
  path: string
  sha256: string
  size: number
  mode: number
}

export interface ArtifactMeta {
  dataset?: DatasetMeta
  model?: ModelMeta
  /** dir and model: the files of the manifest */
  files?: DirEntry[]
  /** plot: image/svg+xml, image/png, text/html */
  mime?: string
}

// ---- The run protocol: what a handler process sends back on its event pipe (one JSON object a line).

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export type HandlerEvent =
  | {t: 'log'; ts: number; level: LogLevel; msg: string; fields?: Record<string, JsonValue>}
  | {t: 'result'; ts: number; key: string; value: JsonValue}
  | {t: 'label'; ts: number; key: string; value: string}
  | {t: 'progress'; ts: number; fraction: number; message?: string}
  | ArtifactEvent
  /** sent by a runner when the handler threw or the runner itself failed */
  | {t: 'error'; ts: number; message: string; stack?: string}
  /** something the run's record should say (an unawaited call, a timer pending at return); lode sends them too */
  | {t: 'warning'; ts: number; message: string}

/**
 * An artifact staged by the handler. `path` is an absolute path to a file or directory; files under the
 * run's staging directory are moved into the store, others are copied. The ingestion in the lode process
 * hashes, converts and describes it: handlers never touch the store.
 */
export interface ArtifactEvent {
  t: 'artifact'
  ts: number
  key: string
  kind: ArtifactKind
  path: string
  /** format of the staged file (csv, parquet, ndjson, ipc, json, pkl, svg, ...) */
  format?: string
  labels?: Record<string, string>
  iter?: number
  /** dataset: the format to store (the staged file is converted when it differs) */
  targetFormat?: 'parquet' | 'csv' | 'ndjson' | 'ipc'
  /** dataset: rows of preview (default 20), and whether to compute statistics (default true) */
  preview?: number
  stats?: boolean
  /** dataset: statistics already computed in the handler over the same frame */
  datasetMeta?: DatasetMeta
  /** dataset staged as CSV: the type of each column of the frame it was written from (a CSV loses them) */
  schema?: DatasetMeta['schema']
  /** model: the spec (the staged path is a directory holding the model file and extra data) */
  model?: ModelMeta
  mime?: string
  /** `lode log artifact` of a file outside staging: lode copies it at once, then writes "ok" or the error to this file of the staging area */
  ack?: string
  /** a tag for this version (MLRun's log_artifact(tag=...)), set with `latest` when the run completes */
  tag?: string
}

/** What the runner finds through LODE_RUN_SPEC: everything a handler needs, nothing of the store. */
export interface HandlerSpec {
  uid: string
  name: string
  project: string
  kind: FunctionKind
  /** absolute path of the handler file (node, python) */
  file: string | null
  handler: string | null
  params: Record<string, JsonValue>
  inputs: Record<string, {url: string; path: string; meta: Record<string, JsonValue>}>
  /** where the handler writes files it logs; moved, not copied, into the store */
  stagingDir: string
  /** absolute path of the project directory */
  projectDir: string
}

/** Environment variables of the run protocol. */
export const ENV = {
  spec: 'LODE_RUN_SPEC',
  eventFd: 'LODE_EVENT_FD',
  runUid: 'LODE_RUN_UID',
  outputDir: 'LODE_OUTPUT_DIR',
  /** a folder of the run where the SDKs write events too large for one pipe write, or sent without the pipe */
  eventDir: 'LODE_EVENT_DIR',
  /** the handler file lode guessed, on a runner started before its run is known: it waits for the run on fd 3 (spawn.ts) */
  prestart: 'LODE_RUNNER_PRESTART',
  /** the pid of the lode running the handler: `lode log artifact` waits for its answer only while it lives */
  lodePid: 'LODE_PID',
} as const

/** The first line lode writes to a pre-started runner's event pipe: the environment and folder of its run. */
export interface RunnerStart {
  env: Record<string, string>
  cwd: string
}

/** A line of events.jsonl and of `--events ndjson`: handler events plus what the executor adds. */
export type RunEvent =
  | (HandlerEvent & {run: string})
  | {t: 'state'; ts: number; run: string; state: RunState; error?: RunError; job?: RunJob}
  | {t: 'output'; ts: number; run: string; stream: 'stdout' | 'stderr'; line: string}
  | {t: 'ingested'; ts: number; run: string; artifact: ArtifactVersion}

/** What a workflow run reports: its steps' states, its own state, and each step's run events. */
export type WorkflowStepState = 'waiting' | 'running' | 'cached' | 'done' | 'failed' | 'skipped'

export interface WorkflowStepEvent {
  t: 'wf-step'
  ts: number
  workflow: string
  step: string
  state: WorkflowStepState
  /** the uid of the step's run, once it has one (a cached step names the run it reuses) */
  run?: string
  error?: string | RunError
  durationMs?: number
}

export interface WorkflowStateEvent {
  t: 'wf-state'
  ts: number
  workflow: string
  state: RunState
}

/** A run event of one step's run, tagged with the step. */
export type WorkflowRunEvent = RunEvent & {step: string}

export type WorkflowEvent = WorkflowStepEvent | WorkflowStateEvent | WorkflowRunEvent

// ---- Hyperparameter runs: a parent run and its iterations (child runs #1..N), as MLRun's hyperparams.

export type HyperStrategy = 'grid' | 'list' | 'random'

export interface HyperOptions {
  strategy: HyperStrategy
  /** param -> the values to try */
  params: Record<string, JsonValue[]>
  /** the result that picks the best iteration, and whether higher or lower is better */
  selector: {op: 'max' | 'min'; key: string} | null
  /** the sweep ends once an iteration's results (and params) satisfy it (src/lib/query grammar) */
  stopCondition: string | null
  /** failed iterations tolerated; one more cancels the rest and fails the parent */
  maxErrors: number | null
  /** iterations at once */
  parallel: number
  /** random: how many iterations, and the seed that picked them */
  maxIterations: number | null
  seed: number | null
}

/** One iteration as its parent records it; `skipped` iterations never started (a stop condition, a cancelled sweep). */
export interface IterationSummary {
  iter: number
  uid: string | null
  state: RunState | 'skipped'
  params: Record<string, JsonValue>
  results: Record<string, JsonValue>
  durationMs: number | null
  /** a completed run with the same code, params and inputs was reused (workflow steps): `uid` is that run */
  cached?: boolean
}

export interface HyperSummary {
  options: HyperOptions
  /** the iteration the selector chose, and its selector value */
  best: {iter: number; uid: string; value: JsonValue; why: string} | null
  /** why the sweep ended before every iteration ran, if it did */
  stopped: string | null
  iterations: IterationSummary[]
}
