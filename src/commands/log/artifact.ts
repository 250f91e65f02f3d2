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
    const {logArtifactCommand} = await import('../../lib/sdk/from-env.ts')
    return logArtifactCommand(this.args.key, this.args.path, this.flags)
  }
}
