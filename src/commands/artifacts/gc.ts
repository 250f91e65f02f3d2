import {Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import type {GcResult} from '../../lib/artifacts/maintenance.ts'

export default class ArtifactsGc extends BaseCommand<typeof ArtifactsGc> {
  static summary = 'Delete unreferenced objects, temp leftovers and, with --keep-last, old untagged versions'
  static description = 'Versions that a run read as an input are kept unless --include-inputs. Objects written in the last hour are kept (an ingestion may be in progress).'
  static examples = ['<%= config.bin %> artifacts gc --dry-run', '<%= config.bin %> artifacts gc --keep-last 3']
  static flags = {
    'keep-last': Flags.integer({description: 'keep the newest N versions of each key (tagged versions are always kept)', min: 1}),
    'dry-run': Flags.boolean({description: 'say what would go, delete nothing'}),
    'include-inputs': Flags.boolean({description: 'also delete old versions that runs read as inputs'}),
  }

  async run(): Promise<GcResult> {
    const [{collectGarbage}, {humanSize}] = await Promise.all([import('../../lib/artifacts/maintenance.ts'), import('../../lib/util/format.ts')])
    const project = await this.openProject()
    try {
      const r = await collectGarbage(project.store, {keepLast: this.flags['keep-last'], dryRun: this.flags['dry-run'], includeInputs: this.flags['include-inputs']})
      const verb = r.dryRun ? 'Would remove' : 'Removed'
      for (const v of r.versionsRemoved) this.out(`${verb} ${v.key} v${v.version}`)
      this.out(`${verb} ${r.objectsRemoved} objects (${humanSize(r.freedBytes)}) and ${r.tempRemoved.length} temp leftovers`)
      if (r.objectsKept) this.note(`(${r.objectsKept} unreferenced object${r.objectsKept === 1 ? ' was' : 's were'} written in the last hour and kept, in case a run is still storing ${r.objectsKept === 1 ? 'it' : 'them'}: run gc again later)`)
      return r
    } finally {
      project.close()
    }
  }
}
