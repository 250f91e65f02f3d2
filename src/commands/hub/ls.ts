import {Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import type {HubListRow} from '../../lib/hub/format.ts'

export default class HubLs extends BaseCommand<typeof HubLs> {
  static summary = 'List the functions of the hub: name, latest version, kind, description, versions'
  static description = 'Sources, in order: --hub, LODE_HUB (comma-separated), the hubs: list of lode.yaml (inside a project), then the built-in hub.'
  static examples = ['<%= config.bin %> hub ls', '<%= config.bin %> hub ls --hub https://example.org/hub/ --json']
  static flags = {
    hub: Flags.string({description: 'a hub folder or URL of a packed hub (repeatable)', multiple: true}),
  }

  async run(): Promise<{functions: HubListRow[]}> {
    const {commandHubSources, listHub} = await import('../../lib/hub/index.ts')
    const {formatHubList, formatHubWarning, hubListRows} = await import('../../lib/hub/format.ts')
    const {sources} = commandHubSources({hubFlags: this.flags.hub, projectFlag: this.flags.project})
    const functions = hubListRows(await listHub(sources, {onWarning: (m) => this.note(formatHubWarning(m))}))
    this.out(formatHubList(functions))
    return {functions}
  }
}
