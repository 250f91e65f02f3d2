import {Args, Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'

export default class LogArtifact extends BaseCommand<typeof LogArtifact> {
  static summary = 'Log a file or directory as an artifact of the running handler (inside `lode run` only)'
  static examples = ['<%= config.bin %> log artifact report report.html --kind plot', '<%= config.bin %> log artifact build dist/']
  static args = {key: Args.string({required: true}), path: Args.string({required: true})}
  static flags = {
    kind: Flags.string({description: 'artifact kind', options: ['artifact', 'plot', 'dir'], default: 'artifact'}),
    format: Flags.string({description: 'format (default: the file extension)'}),
    label: Flags.string({description: 'KEY=VALUE (repeatable)', multiple: true}),
  }

  async run(): Promise<{key: string; path: string}> {
    const [{contextFromEnv, logThroughLode, stageCopy}, {parseLabelFlags}] = await Promise.all([import('../../lib/sdk/from-env.ts'), import('../../lib/executor/params.ts')])
    const ctx = contextFromEnv()
    const opts = {format: this.flags.format, labels: parseLabelFlags(this.flags.label), kind: this.flags.kind as 'artifact'}
    if (await logThroughLode(ctx, this.args.key, this.args.path, opts)) return {key: this.args.key, path: this.args.path}
    await ctx.logArtifact(this.args.key, {localPath: stageCopy(ctx, this.args.key, this.args.path)}, opts)
    return {key: this.args.key, path: this.args.path}
  }
}
