import {Args, Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'

export default class LogDataset extends BaseCommand<typeof LogDataset> {
  static summary = 'Log a data file (csv, tsv, parquet, json, ndjson, Arrow IPC) as a dataset of the running handler'
  static examples = ['<%= config.bin %> log dataset clean out/clean.csv --format parquet']
  static args = {key: Args.string({required: true}), file: Args.string({required: true})}
  static flags = {
    format: Flags.string({description: 'format to store (default: parquet for binary inputs, else the file\'s own)', options: ['parquet', 'csv', 'ndjson', 'ipc']}),
    label: Flags.string({description: 'KEY=VALUE (repeatable)', multiple: true}),
  }

  async run(): Promise<{key: string; file: string}> {
    const [{contextFromEnv, stageCopy}, {parseLabelFlags}] = await Promise.all([import('../../lib/sdk/from-env.ts'), import('../../lib/executor/params.ts')])
    const ctx = contextFromEnv()
    const staged = stageCopy(ctx, this.args.key, this.args.file)
    await ctx.logDataset(this.args.key, {localPath: staged}, {format: this.flags.format as 'parquet' | undefined, labels: parseLabelFlags(this.flags.label)})
    return {key: this.args.key, file: this.args.file}
  }
}
