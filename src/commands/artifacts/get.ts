import {Args, Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'

export default class ArtifactsGet extends BaseCommand<typeof ArtifactsGet> {
  static summary = "Fetch an artifact's body, metadata, dataset preview or lineage"
  static description = 'REF is a store:// URI or KEY, KEY:TAG, KEY@RUN, KEY:v3 (version 3), or RUN/OUTPUT. Bytes are checked against their sha256 before they are handed out.'
  static examples = [
    '<%= config.bin %> artifacts get model -o ./model',
    '<%= config.bin %> artifacts get report.html -o - > report.html',
    '<%= config.bin %> artifacts get dataset:latest --preview 5',
    '<%= config.bin %> artifacts get dataset -o dataset.csv --format csv',
    '<%= config.bin %> artifacts get store://datasets/proj/dataset@1a2b3c --meta',
  ]
  static args = {ref: Args.string({required: true, description: 'artifact reference'})}
  static flags = {
    output: Flags.string({char: 'o', description: "write the body to PATH (a directory for dir and model artifacts); '-' for stdout"}),
    meta: Flags.boolean({description: 'print metadata (dataset schema and statistics, model spec, files)'}),
    preview: Flags.integer({description: "print a dataset's first N rows as a table (default 10)", min: 1}),
    lineage: Flags.boolean({description: 'print what it was made from and what was made from it'}),
    format: Flags.string({description: 'with -o, write a dataset converted to this format', options: ['csv', 'tsv', 'parquet', 'json', 'ndjson', 'ipc'], dependsOn: ['output']}),
  }

  /** `--preview` with no number means 10. */
  async init(): Promise<void> {
    const i = this.argv.indexOf('--preview')
    if (i >= 0 && !/^\d+$/.test(this.argv[i + 1] ?? '')) this.argv.splice(i + 1, 0, '10')
    await super.init()
  }

  async run(): Promise<Record<string, unknown>> {
    const {getArtifact} = await import('../../lib/artifacts/get-command.ts')
    const project = await this.openProject()
    try {
      const result = await getArtifact(project.store, this.args.ref, {
        output: this.flags.output, format: this.flags.format, meta: this.flags.meta, preview: this.flags.preview, lineage: this.flags.lineage,
        json: this.jsonEnabled(), color: (await import('../../lib/views/color.ts')).shouldColor(process.stdout, process.env),
      })
      if (result.text) this.out(result.text)
      if (result.note) this.note(result.note)
      return result.data
    } finally {
      project.close()
    }
  }
}
