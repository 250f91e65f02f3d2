import {Args, Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import type {HubShowResult} from '../../lib/hub/format.ts'

export default class HubShow extends BaseCommand<typeof HubShow> {
  static summary = 'Show a hub function: description, handlers and their parameters, inputs, outputs, versions, README'
  static examples = ['<%= config.bin %> hub show auto_trainer', '<%= config.bin %> hub show auto-trainer:1.0.0 --json']
  static args = {ref: Args.string({description: 'NAME[:VERSION] (or hub://NAME[:VERSION]); no version: the latest', required: true})}
  static flags = {
    hub: Flags.string({description: 'a hub folder or URL of a packed hub (repeatable)', multiple: true}),
  }

  async run(): Promise<HubShowResult> {
    const {commandHubSources} = await import('../../lib/hub/index.ts')
    const {showHubFunction} = await import('../../lib/hub/show.ts')
    const {formatHubShow, formatHubWarning} = await import('../../lib/hub/format.ts')
    const {sources} = commandHubSources({hubFlags: this.flags.hub, projectFlag: this.flags.project})
    const result = await showHubFunction(this.args.ref, {sources, onWarning: (m) => this.note(formatHubWarning(m))})
    this.out(formatHubShow(result))
    return result
  }
}
