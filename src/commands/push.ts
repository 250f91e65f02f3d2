import {Args, Flags} from '#oclif'
import {BaseCommand} from '../lib/base-command.ts'
import type {PushResult} from '../lib/remote/push.ts'

export default class Push extends BaseCommand<typeof Push> {
  static summary = 'Send runs, artifact versions, tags and workflows (and the bytes the remote lacks) to a remote'
  static description = 'With no argument (or --all) everything that ended is sent. Objects go first, then one pack of records: an interrupted push shows nothing on the remote, and the next push skips what was uploaded.'
  static examples = ['<%= config.bin %> push', '<%= config.bin %> push model:production dataset', '<%= config.bin %> push --runs \'results.accuracy > 0.9\' --remote backup']
  static strict = false
  static args = {refs: Args.string({description: 'KEY, KEY:TAG or KEY@RUN: those versions and the runs that made them'})}
  static flags = {
    remote: Flags.string({description: 'the remote (default: the project\'s default remote)'}),
    runs: Flags.string({description: 'runs matching this expression (as runs ls --where), with what they made'}),
    all: Flags.boolean({description: 'everything (the default)'}),
  }

  async run(): Promise<PushResult> {
    const [{push}, {pushProgress, pushSummary}] = await Promise.all([import('../lib/remote/push.ts'), import('../lib/remote/report.ts')])
    const refs = ((await this.parse(Push)).argv as string[]).map(String)
    const project = await this.openProject()
    try {
      const progress = pushProgress(process.stderr, this.jsonEnabled())
      const result = await push(project, {remote: this.flags.remote, refs: this.flags.all ? [] : refs, where: this.flags.runs, onProgress: progress.update})
      progress.done()
      this.out(pushSummary(result))
      return result
    } finally {
      project.close()
    }
  }
}
