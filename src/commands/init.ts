import {Args, Flags} from '#oclif'
import {BaseCommand} from '../lib/base-command.ts'

export default class Init extends BaseCommand<typeof Init> {
  static summary = 'Create a lode project: lode.yaml and an empty store (.lode/)'
  static examples = ['<%= config.bin %> init', '<%= config.bin %> init my-project --name cancer']
  static args = {dir: Args.string({description: 'project directory', default: '.'})}
  static flags = {name: Flags.string({description: 'project name (default: the folder name)'})}

  async run(): Promise<{dir: string; name: string; created: boolean; tsconfig: string | null}> {
    const [{Project}, {findProject}, {dirname, resolve}] = await Promise.all([import('../lib/project/project.ts'), import('../lib/project/project-file.ts'), import('node:path')])
    // a project inside another is allowed (its runs and artifacts are its own), but worth saying
    let outer: string | null = null
    try {
      outer = findProject(dirname(resolve(this.args.dir))).dir
    } catch {
      // not inside a project
    }
    const result = Project.init(this.args.dir, {name: this.flags.name, typescript: true})
    this.out(result.created ? `Created lode project "${result.name}" in ${result.dir}` : `${result.dir} is already lode project "${result.name}"; store checked.`)
    if (result.tsconfig) this.out(`Wrote ${result.tsconfig}: handlers type-check against lode's own types with tsc --noEmit (TypeScript >= 5.8)`)
    if (result.created && outer) this.note(`Note: this project is inside the project at ${outer}; commands run in ${result.dir} use the new one.`)
    return result
  }
}
