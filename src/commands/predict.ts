import {Args, Flags} from '#oclif'
import {BaseCommand} from '../lib/base-command.ts'
import type {PredictResult} from '../lib/serving/batch-predict.ts'

export default class Predict extends BaseCommand<typeof Predict> {
  static summary = 'Predict a data file with a model artifact (the batch form of lode serve)'
  static description = `MODEL_REF is a model artifact, as for lode serve. The input (csv, tsv, parquet, json, ndjson, ipc) keeps its columns; the
predictions are added as --result-column (and with --proba one proba_<class> column a class). The output's extension
picks its format. The model reads its features by name when it was trained with names, else the file's numeric columns.`
  static examples = [
    '<%= config.bin %> predict model:latest -i data.csv -o predictions.parquet',
    '<%= config.bin %> predict store://models/cancer/model -i test.parquet -o out.csv --proba',
  ]
  static args = {model: Args.string({required: true, description: 'model artifact reference'})}
  static flags = {
    input: Flags.string({char: 'i', description: 'data file to predict', required: true}),
    output: Flags.string({char: 'o', description: 'file to write (.parquet, .csv, .tsv, .ndjson, .json, .ipc)', required: true}),
    workers: Flags.integer({description: 'Python worker processes (pickled models)', default: 1, min: 1, max: 64}),
    python: Flags.string({description: 'Python interpreter for the workers', env: 'LODE_PYTHON'}),
    proba: Flags.boolean({description: 'add the class probabilities', default: false}),
    'result-column': Flags.string({description: 'name of the predictions column', default: 'predicted_label'}),
  }

  async run(): Promise<PredictResult> {
    const {predictFile} = await import('../lib/serving/batch-predict.ts')
    const project = await this.openProject()
    try {
      const result = await predictFile(project, this.args.model, this.flags)
      this.note(`Wrote ${result.rows} prediction${result.rows === 1 ? '' : 's'} of ${result.model} to ${result.output}`)
      return result
    } finally {
      project.close()
    }
  }
}
