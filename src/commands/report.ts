import {Flags} from '#oclif'
import {BaseCommand} from '../lib/base-command.ts'

export default class Report extends BaseCommand<typeof Report> {
  static summary = 'Write one self-contained HTML file with the run, compare and artifact pages of chosen runs'
  static description = 'The file embeds its data and the page\'s script: it opens offline, from disk or as a CI artifact. Without RUN or --where: the newest --limit runs.'
  static examples = ['<%= config.bin %> report -o report.html', `<%= config.bin %> report --where 'results.accuracy > 0.9' -o report.html`, '<%= config.bin %> report 1a2b3c 4d5e6f -o compare.html']
  static strict = false
  static flags = {
    output: Flags.string({char: 'o', description: 'the HTML file to write', required: true}),
    where: Flags.string({description: 'the runs this expression holds for (see runs ls --where)'}),
    limit: Flags.integer({description: 'at most N runs, newest first', default: 20, min: 1, max: 1000}),
  }

  async run(): Promise<{path: string; runs: string[]; bytes: number}> {
    const [{argv}, {writeReport}] = await Promise.all([this.parse(Report), import('../lib/ui/report.ts')])
    const project = await this.openProject()
    try {
      const r = await writeReport(project.store, {uids: argv as string[], where: this.flags.where, limit: this.flags.limit}, this.flags.output)
      this.note(`Wrote ${r.path}: ${r.runs.length} run${r.runs.length === 1 ? '' : 's'}, ${Math.ceil(r.bytes / 1024)} KB`)
      return r
    } finally {
      project.close()
    }
  }
}
