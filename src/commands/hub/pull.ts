import {resolve} from 'node:path'
import {Args, Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import type {PullResult} from '../../lib/hub/pull.ts'

export default class HubPull extends BaseCommand<typeof HubPull> {
  static summary = 'Copy one version of a hub function into the project and record it in lode.yaml'
  static description = 'The folder (default functions/NAME) is refused when its files differ from the version lode.yaml records, unless --force. Pulling the same version again changes nothing.'
  static examples = ['<%= config.bin %> hub pull auto_trainer', '<%= config.bin %> hub pull auto_trainer:1.0.0 --to lib/trainer']
  static args = {ref: Args.string({description: 'NAME[:VERSION] (or hub://NAME[:VERSION]); no version: the latest', required: true})}
  static flags = {
    to: Flags.string({description: 'folder to copy into (default: functions/NAME)'}),
    force: Flags.boolean({description: 'overwrite local edits in the folder', default: false}),
    hub: Flags.string({description: 'a hub folder or URL of a packed hub (repeatable)', multiple: true}),
  }

  async run(): Promise<PullResult> {
    const [{commandHubSources, pullFunction}, {toHubRef}, {formatPullResult}] = await Promise.all([import('../../lib/hub/index.ts'), import('../../lib/uri/refs.ts'), import('../../lib/hub/format.ts')])
    const {sources, project} = commandHubSources({hubFlags: this.flags.hub, projectFlag: this.flags.project, requireProject: true})
    const ref = toHubRef(this.args.ref)
    const to = this.flags.to === undefined ? undefined : resolve(this.flags.to)
    const result = await pullFunction(project!, ref, {to, force: this.flags.force, sources})
    this.out(formatPullResult(result))
    return result
  }
}
