import {Args, Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import type {RunComparison} from '../../lib/runs/compare.ts'

export default class RunsCompare extends BaseCommand<typeof RunsCompare> {
  static summary = 'Compare runs side by side: params, results, inputs (by hash) and outputs'
  static examples = [
    '<%= config.bin %> runs compare 1a2b3c 4d5e6f',
    `<%= config.bin %> runs compare --where 'params.model_class == "tree"' --csv > compare.csv`,
    '<%= config.bin %> runs compare --parent 1a2b3c',
  ]
  static strict = false
  static args = {uid: Args.string({description: 'run uids or unique prefixes (two or more)'})}
  static flags = {
    where: Flags.string({description: 'compare the runs this expression holds for (see runs ls --where)'}),
    parent: Flags.string({description: "compare a hyperparameter run's iterations (or a run's child runs), in iteration order"}),
    limit: Flags.integer({description: 'with --where: at most N runs, newest first (default 20; with --parent, every iteration)', min: 2}),
    csv: Flags.boolean({description: 'CSV on stdout: one line per field, one column per run', exclusive: ['json']}),
  }

  async run(): Promise<RunComparison> {
    const [{argv}, {compareCommand}, {formatComparison, comparisonCsv}, {shouldColor}] = await Promise.all([
      this.parse(RunsCompare), import('../../lib/runs/compare.ts'), import('../../lib/views/runs-compare.ts'), import('../../lib/views/color.ts'),
    ])
    const project = await this.openProject()
    try {
      const c = await compareCommand(project.store, {uids: argv as string[], where: this.flags.where, parent: this.flags.parent, limit: this.flags.limit ?? (this.flags.parent ? 100_000 : 20)})
      this.out(this.flags.csv ? comparisonCsv(c) : formatComparison(c, {color: shouldColor(process.stdout, process.env)}))
      return c
    } finally {
      project.close()
    }
  }
}
