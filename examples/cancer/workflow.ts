// The same pipeline in TypeScript, as MLRun writes it in Python: each project.run() is one step; an output of one
// run (`ingest.outputs.dataset`, a store:// URI) is the input of the next. Awaits that do not depend on each other
// (evaluate and predict) run concurrently. Run it with: lode workflow run workflow.ts
import type {Run, RunOptions} from 'lode'

/** What lode passes in: the project, whose runs are the workflow's steps (memoized, recorded, shown live). */
interface WorkflowProject {
  run(fn: string, opts: RunOptions & {step?: string}): Promise<Run>
}

export default async function cancer(project: WorkflowProject, {label = 'label'}: {label?: string} = {}) {
  // Ingest data
  const ingest = await project.run('hub://load_dataset', {step: 'ingest', params: {name: 'breast_cancer'}, outputs: ['dataset']})

  // Train a model using the auto_trainer hub function
  const train = await project.run('hub://auto_trainer', {
    step: 'train',
    handler: 'train',
    inputs: {dataset: ingest.outputs.dataset as string},
    params: {
      model_class: 'sklearn.ensemble.RandomForestClassifier',
      train_test_split_size: 0.2,
      label_columns: label,
      model_name: 'cancer',
      random_state: 42, // the split's seed, and the forest's: the same model every time
      CLASS_random_state: 42,
    },
    outputs: ['model', 'test_set'],
  })

  // Get the trained model, then evaluate it and predict with it, in parallel
  const model = train.outputs.model as string
  const testSet = train.outputs.test_set as string
  const [evaluate, predict] = await Promise.all([
    project.run('hub://auto_trainer', {step: 'evaluate', handler: 'evaluate', inputs: {model, dataset: testSet}, params: {label_columns: label}, outputs: ['accuracy']}),
    project.run('hub://auto_trainer', {step: 'predict', handler: 'predict', inputs: {model, dataset: testSet}, params: {label_columns: label}, outputs: ['prediction']}),
  ])

  // Printed when the workflow ends.
  return {accuracy: evaluate.outputs.accuracy, model, predictions: predict.outputs.prediction}
}
