import {Args, Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import {runtimeFlags} from '../../lib/executor/runtime-flags.ts'
import type {WorkflowExplanation} from '../../lib/workflow/explain.ts'
import type {WorkflowSummary} from '../../lib/workflow/summary.ts'

export default class WorkflowRun extends BaseCommand<typeof WorkflowRun> {
  static summary = 'Run a workflow: its steps as a DAG, in parallel, reusing steps whose code, params and inputs have not changed'
  static description = `FILE_OR_NAME is a workflow.yaml or workflow.ts file, a folder holding one, or a name under "workflows:" in lode.yaml.
Exit status: 0 every step completed or was cached, 1 a step failed (its dependents are skipped), 130 interrupted, 2 an invalid workflow.`
  static examples = [
    '<%= config.bin %> workflow run workflow.yaml',
    '<%= config.bin %> workflow run workflow.yaml -p n_estimators=50 --explain',
    '<%= config.bin %> workflow run --resume 1a2b3c4d',
    '<%= config.bin %> workflow run workflow.ts --parallel 2 --no-cache',
  ]
  static args = {workflow: Args.string({description: 'workflow file, folder, or lode.yaml workflow name', required: false})}
  static flags = {
    param: Flags.string({char: 'p', description: 'KEY=VALUE workflow param (repeatable); JSON values are parsed', multiple: true}),
    parallel: Flags.integer({description: 'steps to run at once (default: the number of cores)', min: 1}),
    'no-cache': Flags.boolean({description: 'run every step, even when an earlier run could be reused'}),
    explain: Flags.boolean({description: 'say for every step whether it would run or be reused, and why; run nothing'}),
    resume: Flags.string({description: 'resume workflow ID: rerun only its failed, skipped and never-run steps'}),
    hub: Flags.string({description: 'hub folder or URL to resolve hub:// from (repeatable)', multiple: true}),
    events: Flags.string({description: 'print every event as one JSON line on stdout', options: ['ndjson']}),
    ...runtimeFlags,
    'slurm-pack': Flags.integer({description: 'slurm: pack up to N steps that start together into one job, run one after another (short steps skip Slurm\'s ~1 s per job)', min: 1, helpGroup: 'SLURM'}),
  }

  async run(): Promise<WorkflowSummary | WorkflowExplanation> {
    const [{parseParamFlags}, {runWorkflowWithUi, explainWithUi}, {runtimeFromFlags}] = await Promise.all([
      import('../../lib/executor/params.ts'), import('../../lib/workflow/run-command.ts'), import('../../lib/executor/runtime-spec.ts'),
    ])
    const f = this.flags
    const req = {ref: this.args.workflow, resume: f.resume, params: parseParamFlags(f.param), parallel: f.parallel, noCache: f['no-cache'], hubs: f.hub, runtime: runtimeFromFlags(f)}
    const ui = {json: this.jsonEnabled(), events: f.events as 'ndjson' | undefined, out: (text: string) => this.out(text)}
    const project = await this.openProject()
    try {
      if (f.explain) return await explainWithUi(project, req, ui)
      const {summary, failure} = await runWorkflowWithUi(project, req, ui)
      return this.settle(summary, failure)
    } finally {
      project.close()
    }
  }
}
