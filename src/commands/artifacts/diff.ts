import {Args} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'

export default class ArtifactsDiff extends BaseCommand<typeof ArtifactsDiff> {
  static summary = 'Compare two artifact versions: datasets, models, dirs or files'
  static examples = ['<%= config.bin %> artifacts diff dataset:v1 dataset:v2', '<%= config.bin %> artifacts diff model@1a2b model@3c4d']
  static args = {a: Args.string({required: true}), b: Args.string({required: true})}

  async run(): Promise<Record<string, unknown>> {
    const {diffArtifacts} = await import('../../lib/artifacts/diff-command.ts')
    const project = await this.openProject()
    try {
      const {text, data} = await diffArtifacts(project.store, this.args.a, this.args.b)
      this.out(text)
      return data
    } finally {
      project.close()
    }
  }
}
