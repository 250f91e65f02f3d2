import {Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import type {WorkflowRecord} from '../../lib/store/workflows.ts'

export default class WorkflowLs extends BaseCommand<typeof WorkflowLs> {
  static summary = 'List workflow runs, newest first'
  static examples = ['<%= config.bin %> workflow ls', '<%= config.bin %> workflow ls --name cancer --json']
  static flags = {
    name: Flags.string({description: 'only workflows with this name'}),
    limit: Flags.integer({description: 'at most N workflows', default: 20, min: 1}),
  }

  async run(): Promise<WorkflowRecord[]> {
    const [{formatWorkflowList}, {workflowDisplayState}] = await Promise.all([
      import('../../lib/workflow/summary.ts'), import('../../lib/runs/liveness.ts')])
    const project = await this.openProject()
    const list = project.store.workflows.list({name: this.flags.name, limit: this.flags.limit}).map(workflowDisplayState)
    project.close()
    this.out(formatWorkflowList(list))
    return list
  }
}
