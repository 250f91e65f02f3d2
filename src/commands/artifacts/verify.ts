import {Args, Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import {IntegrityError} from '../../lib/errors.ts'
import type {VerifyProblem} from '../../lib/artifacts/maintenance.ts'

export default class ArtifactsVerify extends BaseCommand<typeof ArtifactsVerify> {
  static summary = 'Rehash stored bytes; report every corrupt or missing object (exit 5 when any)'
  static examples = ['<%= config.bin %> artifacts verify', '<%= config.bin %> artifacts verify model']
  static args = {ref: Args.string({description: 'one artifact (default: the whole store)'})}
  static flags = {fetch: Flags.boolean({description: "first fetch the objects that are only on the project's remotes (each checked against its sha256)"})}

  async run(): Promise<{checked: number; problems: VerifyProblem[]}> {
    const [{verifyStore}, {resolveRef}] = await Promise.all([import('../../lib/artifacts/maintenance.ts'), import('../../lib/artifacts/get-command.ts')])
    const project = await this.openProject()
    try {
      const versions = this.args.ref ? [await resolveRef(project.store, this.args.ref)] : undefined
      const result = await verifyStore(project.store, versions, {fetch: this.flags.fetch})
      for (const p of result.problems) {
        this.out(`${p.status.toUpperCase()}  ${p.sha256.slice(0, 16)}  used by ${p.artifacts.map((a) => `${a.key} v${a.version}`).join(', ') || '(no version)'}${p.fetchError ? `\n  ${p.fetchError}` : ''}`)
      }
      if (result.problems.length) {
        // with --json: {ok: false, error: {code: 'integrity', ..., details: {checked, problems}}}
        throw new IntegrityError(`${result.problems.length} of ${result.checked} objects are corrupt or missing.`,
          'Re-run the runs that produced them, or remove those versions: lode artifacts rm REF --force. In a clone, bytes still on the remote show as missing: lode artifacts verify --fetch', {...result})
      }
      this.out(`All ${result.checked} objects verified.`)
      return result
    } finally {
      project.close()
    }
  }
}
