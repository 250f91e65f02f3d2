import {Args} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import type {Run} from '../../lib/types.ts'

export default class RunsGet extends BaseCommand<typeof RunsGet> {
  static summary = 'Show one run: params, inputs, results, outputs, state'
  static examples = ['<%= config.bin %> runs get 1a2b3c', '<%= config.bin %> runs get 1a2b3c --json']
  static args = {uid: Args.string({description: 'run uid or a unique prefix', required: true})}

  async run(): Promise<Run & {stale: boolean}> {
    const [{isStale}, {formatRun}] = await Promise.all([import('../../lib/runs/liveness.ts'), import('../../lib/runs/show.ts')])
    const project = await this.openProject()
    const run = project.store.runs.resolve(this.args.uid)
    const hyper = project.store.hyper.get(run.uid)
    project.close()
    const stale = isStale(run)
    this.out(formatRun(run, stale, hyper))
    // a hyperparameter parent: its sweep's options, best iteration and iterations too
    return {...run, stale, ...(hyper ? {hyper: {options: hyper.options, best: hyper.best, stopped: hyper.stopped}, iterations: hyper.iterations} : {})}
  }
}
