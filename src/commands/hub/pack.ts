import {Args, Flags} from '#oclif'
import {BaseCommand} from '../../lib/base-command.ts'
import type {PackedFunction} from '../../lib/hub/pack.ts'

export default class HubPack extends BaseCommand<typeof HubPack> {
  static summary = 'Pack function folders into a hub: one deterministic .tgz per version, plus index.json'
  static description = 'DIR is a function folder or a folder of them. An existing index.json in OUTDIR is merged into; versions already published are kept and never change.'
  static examples = ['<%= config.bin %> hub pack function-hub --out dist/hub']
  static args = {dir: Args.string({description: 'a function folder, or a folder of function folders', required: true})}
  static flags = {
    out: Flags.string({description: 'the packed hub folder to write', required: true}),
  }

  async run(): Promise<{outDir: string; index: string; functions: PackedFunction[]}> {
    const {packHub} = await import('../../lib/hub/pack.ts')
    const result = packHub(this.args.dir, this.flags.out)
    for (const f of result.functions) this.out(`${f.added ? 'packed ' : 'kept   '} ${f.name}:${f.version}  ${f.file}  sha256:${f.sha256.slice(0, 12)}`)
    this.out(`index: ${result.index}`)
    return result
  }
}
