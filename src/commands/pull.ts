import {Flags} from '#oclif'
import {BaseCommand} from '../lib/base-command.ts'
import type {PullResult} from '../lib/remote/pull.ts'

export default class Pull extends BaseCommand<typeof Pull> {
  static summary = 'Merge the records of a remote into this store (bytes are fetched when used)'
  static examples = ['<%= config.bin %> pull', '<%= config.bin %> pull --remote backup --json']
  static flags = {remote: Flags.string({description: 'the remote (default: the project\'s default remote)'})}

  async run(): Promise<PullResult> {
    const [{pull}, {pullSummary}] = await Promise.all([import('../lib/remote/pull.ts'), import('../lib/remote/report.ts')])
    const project = await this.openProject()
    try {
      const result = await pull(project, {remote: this.flags.remote})
      this.out(pullSummary(result))
      return result
    } finally {
      project.close()
    }
  }
}
