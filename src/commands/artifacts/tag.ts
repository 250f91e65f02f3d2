import {Args, Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'

export default class ArtifactsTag extends BaseCommand<typeof ArtifactsTag> {
  static summary = 'Add or move a tag to an artifact version (or remove it with --delete)'
  static examples = ['<%= config.bin %> artifacts tag model@1a2b3c production', '<%= config.bin %> artifacts tag model production --delete']
  static args = {ref: Args.string({required: true}), tag: Args.string({required: true})}
  static flags = {delete: Flags.boolean({description: 'remove the tag from the key'})}

  async run(): Promise<{key: string; tag: string; version?: number; uri?: string; deleted?: boolean}> {
    const {resolveRef} = await import('../../lib/artifacts/get-command.ts')
    const {parseArtifactRef} = await import('../../lib/uri/refs.ts')
    const project = await this.openProject()
    try {
      if (this.flags.delete) {
        const key = parseArtifactRef(this.args.ref).key
        const deleted = project.store.artifacts.removeTag(key, this.args.tag)
        this.out(deleted ? `Removed tag ${this.args.tag} from ${key}` : `${key} had no tag ${this.args.tag}`)
        return {key, tag: this.args.tag, deleted}
      }
      const v = await resolveRef(project.store, this.args.ref)
      project.store.artifacts.setTag(v, this.args.tag)
      this.out(`Tagged ${v.key} v${v.version} as ${this.args.tag}  (${v.key}:${this.args.tag})`)
      return {key: v.key, tag: this.args.tag, version: v.version, uri: v.uri}
    } finally {
      project.close()
    }
  }
}
