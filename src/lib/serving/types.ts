// What serving knows about a loaded model, and what a predictor answers: shared by the HTTP front, batch predict
// and the request log.

export type LabelValue = string | number | boolean

export interface ModelInfo {
  /** the name clients use in /v2/models/NAME */
  name: string
  /** vN of the artifact */
  version: string
  /** the artifact's pinned store:// URI */
  uri: string
  /** 'sklearn' (a pickle in Python workers) or 'lode-ml' (lode's TypeScript models, in-process) */
  platform: 'sklearn' | 'lode-ml'
  algorithm: string
  /** how many numbers a row has; null when the model does not say */
  features: number | null
  featureNames: string[] | null
  /** classifiers: the class values, in predict_proba's column order */
  classes: LabelValue[] | null
  hasProba: boolean
}

export interface Prediction {
  predict: LabelValue[]
  proba: number[][] | null
}

export interface Predictor {
  readonly info: ModelInfo
  /** rows in the model's feature order */
  predict(rows: number[][], proba: boolean): Promise<Prediction>
  /** the processes answering (empty when in-process) */
  pids(): number[]
  /** whether a request can be answered: false once no worker could load the model again */
  ready(): boolean
  close(): Promise<void>
}

/** The worker answering a request died before it answered: the client may retry (HTTP 503). */
export class WorkerLostError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'WorkerLostError'
  }
}

/** The model itself raised on valid input (HTTP 500 with its message). */
export class ModelError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ModelError'
  }
}
