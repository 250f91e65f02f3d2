import {Args} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'

export default class ArtifactsLineage extends BaseCommand<typeof ArtifactsLineage> {
  static summary = 'Print what an artifact version was made from, and what was made from it'
  static examples = ['<%= config.bin %> artifacts lineage model']
  static args = {ref: Args.string({required: true})}

  async run(): Promise<Record<string, unknown>> {
    const {getArtifact} = await import('../../lib/artifacts/get-command.ts')
    const project = await this.openProject()
    try {
      const r = await getArtifact(project.store, this.args.ref, {lineage: true, json: this.jsonEnabled(), color: false})
      this.out(r.text ?? '')
      return r.data
    } finally {
      project.close()
    }
  }
}
