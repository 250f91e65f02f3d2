import {Args} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import type {WorkflowSummary} from '../../lib/workflow/summary.ts'

export default class WorkflowGet extends BaseCommand<typeof WorkflowGet> {
  static summary = 'Show one workflow run: its steps with state, run, duration and outputs'
  static examples = ['<%= config.bin %> workflow get 1a2b3c4d', '<%= config.bin %> workflow get 1a2b --json']
  static args = {id: Args.string({description: 'workflow id or a unique prefix', required: true})}

  async run(): Promise<WorkflowSummary> {
    const [{summarize, formatSummary}, {workflowDisplayState}] = await Promise.all([
      import('../../lib/workflow/summary.ts'), import('../../lib/runs/liveness.ts')])
    const project = await this.openProject()
    const summary = summarize(workflowDisplayState(project.store.workflows.resolve(this.args.id)), project.store)
    project.close()
    this.out(formatSummary(summary))
    return summary
  }
}
