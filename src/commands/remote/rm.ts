import {Args} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'

export default class RemoteRm extends BaseCommand<typeof RemoteRm> {
  static summary = 'Remove a remote from lode.yaml (nothing on the remote is touched)'
  static args = {name: Args.string({required: true})}

  async run(): Promise<{name: string; removed: true}> {
    const {removeRemote} = await import('../../lib/remote/config.ts')
    const {CONFIG_FILE} = await import('../../lib/project/project-file.ts')
    const project = await this.openProject()
    try {
      removeRemote(`${project.dir}/${CONFIG_FILE}`, project.config, this.args.name)
      this.out(`Removed remote ${this.args.name}`)
      return {name: this.args.name, removed: true}
    } finally {
      project.close()
    }
  }
}
