import {Args} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'

export default class RunsAbort extends BaseCommand<typeof RunsAbort> {
  static summary = 'Abort a running run, or mark a stale one (its process is gone) as aborted'
  static args = {uid: Args.string({description: 'run uid or a unique prefix', required: true})}

  async run(): Promise<{uid: string; action: 'signalled' | 'marked' | 'none'; state: string}> {
    const {abortRun} = await import('../../lib/runs/abort.ts')
    const project = await this.openProject()
    const result = await abortRun(project.store, this.args.uid)
    project.close()
    this.out(result.action === 'signalled' ? `Ended the handler of run ${result.uid.slice(0, 8)}; its lode records it (${result.state}).`
      : result.action === 'marked' ? `Run ${result.uid.slice(0, 8)} had no live process; marked aborted.`
      : `Run ${result.uid.slice(0, 8)} is already ${result.state}.`)
    return result
  }
}
