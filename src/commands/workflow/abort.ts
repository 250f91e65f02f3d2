import {Args} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import type {WorkflowAbortResult} from '../../lib/workflow/abort.ts'

export default class WorkflowAbort extends BaseCommand<typeof WorkflowAbort> {
  static summary = 'Abort a running workflow (its steps end, its lode records it aborted), or mark a stale one aborted'
  static examples = ['<%= config.bin %> workflow abort 1a2b3c4d']
  static args = {id: Args.string({description: 'workflow id or a unique prefix', required: true})}

  async run(): Promise<WorkflowAbortResult> {
    const {abortWorkflow} = await import('../../lib/workflow/abort.ts')
    const project = await this.openProject()
    const result = await abortWorkflow(project.store, this.args.id)
    project.close()
    const id = result.id.slice(0, 8)
    this.out(result.action === 'requested' ? `Asked the lode process of workflow ${id} to abort it; it is ${result.state}.`
      : result.action === 'marked' ? `Workflow ${id} had no live process; marked aborted.`
      : `Workflow ${id} is already ${result.state}.`)
    return result
  }
}
