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
    const {artifactsLs} = await import('../../lib/artifacts/ls-command.ts')
    return artifactsLs(this.args.glob, this.flags, {json: this.jsonEnabled(), out: (text) => this.out(text), note: (text) => this.note(text)})
  }
}
