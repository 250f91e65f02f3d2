import {BaseCommand} from '../lib/base-command.ts'

export default class PythonPath extends BaseCommand<typeof PythonPath> {
  static summary = "Print the folder to put on PYTHONPATH so that a plain python3 script can `import lode`"
  static description = 'The folder holds the lode package (handlers, run_function, get_or_create_project, get_model); its run_function calls this lode.'
  static examples = ['export PYTHONPATH="$(<%= config.bin %> python-path)${PYTHONPATH:+:$PYTHONPATH}"; python3 pipeline.py']

  async run(): Promise<{path: string}> {
    const {pythonSdkDir} = await import('../lib/runtimes/python.ts')
    const path = pythonSdkDir()
    this.out(path)
    return {path}
  }
}
