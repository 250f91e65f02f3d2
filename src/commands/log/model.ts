import {Args, Flags} from '#oclif'
import {statSync} from '../../lib/util/fs.ts'
import {BaseCommand} from '../../lib/base-command.ts'
import {NotFoundError, UserError} from '../../lib/errors.ts'

export default class LogModel extends BaseCommand<typeof LogModel> {
  static summary = 'Log a model file or directory of the running handler, with metrics (inside `lode run` only)'
  static examples = ['<%= config.bin %> log model churn model.pkl --framework sklearn --metric accuracy=0.93']
  static args = {key: Args.string({required: true}), path: Args.string({required: true, description: 'model file or directory'})}
  static flags = {
    metric: Flags.string({description: 'KEY=NUMBER (repeatable)', multiple: true}),
    param: Flags.string({description: 'KEY=VALUE model parameter (repeatable)', multiple: true}),
    framework: Flags.string({default: ''}),
    algorithm: Flags.string({default: ''}),
    'extra-data': Flags.string({description: 'NAME=PATH (repeatable)', multiple: true}),
    label: Flags.string({description: 'KEY=VALUE (repeatable)', multiple: true}),
  }

  async run(): Promise<{key: string; path: string}> {
    const [{contextFromEnv}, {parseLabelFlags, parseParamFlags}] = await Promise.all([import('../../lib/sdk/from-env.ts'), import('../../lib/executor/params.ts')])
    const metrics: Record<string, number> = {}
    for (const [k, v] of Object.entries(parseParamFlags(this.flags.metric))) {
      if (typeof v !== 'number') throw new UserError(`Metric ${k} must be a number, got ${JSON.stringify(v)}.`)
      metrics[k] = v
    }
    const ctx = contextFromEnv()
    const isDir = statSync(this.args.path, {throwIfNoEntry: false})?.isDirectory()
    if (isDir === undefined) throw new NotFoundError(`No such model file or directory: ${this.args.path}`)
    await ctx.logModel(this.args.key, {
      ...(isDir ? {modelDir: this.args.path} : {modelFile: this.args.path}),
      metrics, parameters: parseParamFlags(this.flags.param), framework: this.flags.framework, algorithm: this.flags.algorithm,
      extraData: parseLabelFlags(this.flags['extra-data']), labels: parseLabelFlags(this.flags.label),
    })
    return {key: this.args.key, path: this.args.path}
  }
}
