import {Flags} from '#oclif'
import {BaseCommand} from '../lib/base-command.ts'

export default class Ui extends BaseCommand<typeof Ui> {
  static summary = 'Look at runs, artifacts, plots, lineage and workflows in a browser (read-only)'
  static description = 'Serves a local web app over the project\'s store until Ctrl-C. The URL it prints carries a random token that every request needs.'
  static examples = ['<%= config.bin %> ui', '<%= config.bin %> ui --port 0 --open']
  static flags = {
    port: Flags.integer({description: 'port to listen on (0: any free port)', default: 4400, min: 0, max: 65535}),
    host: Flags.string({description: 'address to listen on; anything but loopback needs a token', default: '127.0.0.1'}),
    token: Flags.string({description: 'the token to require (default: a new random one); \'\' for none, on 127.0.0.1 only', env: 'LODE_UI_TOKEN'}),
    open: Flags.boolean({description: 'open the page in the default browser'}),
  }

  async run(): Promise<{url: string; host: string; port: number}> {
    const {serveUi} = await import('../lib/ui/serve-command.ts')
    return serveUi(await this.openProject(), this.flags, {out: (text) => (this.jsonEnabled() ? this.note(text) : this.out(text)), note: (text) => this.note(text)})
  }
}
