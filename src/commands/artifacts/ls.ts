import {Args, Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import type {ArtifactVersion} from '../../lib/types.ts'

export default class ArtifactsLs extends BaseCommand<typeof ArtifactsLs> {
  static summary = 'List artifacts: the latest version of each key, or every version'
  static examples = ['<%= config.bin %> artifacts ls', "<%= config.bin %> artifacts ls 'plots/*' --kind plot --since 2h", '<%= config.bin %> artifacts ls model --all-versions']
  static args = {glob: Args.string({description: 'key or glob (* and ?)'})}
  static flags = {
    kind: Flags.string({description: 'artifact, dataset, model, plot or dir'}),
    tag: Flags.string({description: 'only versions with this tag'}),
    label: Flags.string({description: 'KEY=VALUE (repeatable)', multiple: true}),
    producer: Flags.string({description: 'only versions logged by this run (uid prefix)'}),
    since: Flags.string({description: 'only versions logged within this duration (90s, 15m, 2h, 7d)'}),
    'all-versions': Flags.boolean({description: 'every version, not only the latest of each key'}),
    limit: Flags.integer({description: 'at most N rows', default: 50, min: 1}),
  }

  async run(): Promise<ArtifactVersion[]> {
    const [{buildArtifactQuery, listArtifacts, formatArtifactsTable}, {parseLabelFlags}] = await Promise.all([import('../../lib/artifacts/query.ts'), import('../../lib/executor/params.ts')])
    const f = this.flags
    const query = buildArtifactQuery({glob: this.args.glob, kind: f.kind, tag: f.tag, labels: parseLabelFlags(f.label), producer: f.producer, since: f.since, allVersions: f['all-versions'], limit: f.limit + 1})
    const project = await this.openProject()
    // one more than asked: whether the list was cut short
    const found = listArtifacts(project.store, query)
    const versions = found.slice(0, f.limit)
    project.close()
    this.out(formatArtifactsTable(versions, Boolean(this.args.glob || f.kind || f.tag || f.label?.length || f.producer || f.since)))
    if (found.length > f.limit) this.note(`(the newest ${f.limit}; --limit N for more)`)
    return versions
  }
}
