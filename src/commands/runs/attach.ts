import {Args} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import type {Run} from '../../lib/types.ts'

export default class RunsAttach extends BaseCommand<typeof RunsAttach> {
  static summary = 'Follow a cluster job whose lode went away, and record it with its outputs once it ends'
  static description = 'A run submitted with --runtime slurm keeps going when its lode is killed; `runs ls` shows it detached. Attach follows it again from its run folder. Exit status as lode run.'
  static examples = ['<%= config.bin %> runs attach 3f2a9c1b']
  static args = {uid: Args.string({description: 'run uid or a unique prefix', required: true})}

  async run(): Promise<Run> {
    const {attachWithUi} = await import('../../lib/runs/attach-command.ts')
    const project = await this.openProject()
    const {run, failure} = await attachWithUi(project.store, this.args.uid, {json: this.jsonEnabled()})
    project.close()
    return this.settle(run, failure)
  }
}
