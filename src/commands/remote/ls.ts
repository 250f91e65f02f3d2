import {BaseCommand} from '../../lib/base-command.ts'
import type {RemoteConfig} from '../../lib/remote/config.ts'

export default class RemoteLs extends BaseCommand<typeof RemoteLs> {
  static summary = 'List the remotes (the default one marked *)'

  async run(): Promise<{remotes: (RemoteConfig & {default: boolean})[]}> {
    const {listRemotes} = await import('../../lib/remote/config.ts')
    const project = await this.openProject()
    try {
      const {remotes, defaultName} = listRemotes(project.config)
      const rows = remotes.map((r) => ({...r, default: r.name === defaultName}))
      this.out(rows.length ? rows.map((r) => `${r.default ? '*' : ' '} ${r.name}  ${r.url}${r.endpoint ? `  ${r.endpoint}` : ''}${r.region ? `  ${r.region}` : ''}`).join('\n') : 'No remotes. Add one: lode remote add origin s3://BUCKET/PREFIX')
      return {remotes: rows}
    } finally {
      project.close()
    }
  }
}
