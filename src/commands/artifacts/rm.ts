import {Args, Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import {NotFoundError} from '../../lib/errors.ts'
import type {RemoveResult} from '../../lib/artifacts/maintenance.ts'

export default class ArtifactsRm extends BaseCommand<typeof ArtifactsRm> {
  static summary = 'Remove an artifact version, or every version of a key with --all'
  static description = 'Versions with a tag of your own are kept unless --force. Bytes are deleted only when no remaining version references them.'
  static examples = ['<%= config.bin %> artifacts rm model:v2', '<%= config.bin %> artifacts rm scratch --all --force']
  static args = {ref: Args.string({required: true})}
  static flags = {
    all: Flags.boolean({description: 'every version of the key'}),
    force: Flags.boolean({description: 'also remove versions with tags of your own'}),
  }

  async run(): Promise<RemoveResult> {
    const [{removeVersions}, {resolveRef}, {humanSize}] = await Promise.all([
      import('../../lib/artifacts/maintenance.ts'), import('../../lib/artifacts/get-command.ts'), import('../../lib/util/format.ts'),
    ])
    const project = await this.openProject()
    try {
      const store = project.store
      const versions = this.flags.all ? store.artifacts.versionsOf(this.args.ref) : [await resolveRef(store, this.args.ref)]
      if (versions.length === 0) throw new NotFoundError(`No artifact with key "${this.args.ref}".`, 'List artifacts with: lode artifacts ls')
      const result = await removeVersions(store, versions, {force: this.flags.force})
      for (const r of result.removed) this.out(`Removed ${r.key} v${r.version}`)
      for (const p of result.protected) this.note(`Kept ${p.key} v${p.version}: tagged ${p.tags.join(', ')} (use --force to remove it)`)
      for (const u of result.inUse) this.note(`Kept ${u.key} v${u.version}: in use by ${u.by.join(', ')}`)
      if (result.inUse.length) this.note('Hint: it can be removed once they end (lode runs ls; resume or rerun the workflow); --force does not take bytes from under them.')
      this.out(`Freed ${humanSize(result.freedBytes)} (${result.objectsRemoved} objects)`)
      if (result.inUse.length || (result.protected.length && result.removed.length === 0)) process.exitCode = 2
      return result
    } finally {
      project.close()
    }
  }
}
