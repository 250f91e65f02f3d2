import {Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import type {ExportResult} from '../../lib/runs/export.ts'

export default class RunsExport extends BaseCommand<typeof RunsExport> {
  static summary = 'Write runs to a file, one row each with params.* and results.* as columns (.csv, .ndjson or .parquet)'
  static examples = [
    '<%= config.bin %> runs export -o runs.csv',
    `<%= config.bin %> runs export --where 'params.model_class == "tree"' -o runs.parquet`,
  ]
  static flags = {
    output: Flags.string({char: 'o', description: 'the file to write; its extension picks the format: .csv, .ndjson (.jsonl), .parquet', required: true}),
    where: Flags.string({description: 'only runs this expression holds for (see runs ls --where)'}),
    limit: Flags.integer({description: 'at most N runs, newest first (default: all)', min: 1}),
  }

  async run(): Promise<ExportResult> {
    const {exportRuns} = await import('../../lib/runs/export.ts')
    const project = await this.openProject()
    try {
      const result = await exportRuns(project.store, {where: this.flags.where, output: this.flags.output, limit: this.flags.limit})
      this.note(`Wrote ${result.rows} run${result.rows === 1 ? '' : 's'} (${result.columns.length} columns) to ${result.path}`)
      return result
    } finally {
      project.close()
    }
  }
}
