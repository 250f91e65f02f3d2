import {Args, Flags} from '#oclif'
import {BaseCommand} from '../lib/base-command.ts'
import {runtimeFlags} from '../lib/executor/runtime-flags.ts'
import type {Run} from '../lib/types.ts'

export default class RunCommand extends BaseCommand<typeof RunCommand> {
  static summary = 'Run a handler in its own process and record the run'
  static description = `FUNCTION is a file (train.ts, train.py, build.sh), FILE#HANDLER, a function named in lode.yaml, or hub://NAME[:VERSION].
For any other command: lode run --kind exec -- COMMAND ARGS... ({inputs.KEY} and {params.KEY} are replaced in ARGS).
Exit status: 0 completed, 1 the run failed, 130 aborted, 2 bad input, 3 no project, 4 not found.`
  static examples = [
    '<%= config.bin %> run train.ts#train -i dataset=data/iris.csv -p epochs=10 -o model',
    '<%= config.bin %> run hub://auto_trainer --handler train -i dataset=dataset:latest -p model_class=sklearn.ensemble.RandomForestClassifier -p label_columns=label -o model',
    '<%= config.bin %> run --kind exec -i data=raw.csv -- python3 prep.py --in {inputs.data}',
  ]
  static strict = false
  static args = {function: Args.string({description: 'file[#handler], lode.yaml function, or hub://name[:version]', required: false})}
  static flags = {
    handler: Flags.string({description: 'handler (exported function) to call'}),
    input: Flags.string({char: 'i', description: 'KEY=PATH_OR_URI (repeatable): a file, store:// URI, KEY[:TAG], or RUN/OUTPUT', multiple: true}),
    param: Flags.string({char: 'p', description: 'KEY=VALUE (repeatable); JSON values (numbers, booleans, arrays, objects) are parsed', multiple: true}),
    'params-file': Flags.string({description: 'params from a YAML or JSON file (-p wins)'}),
    output: Flags.string({char: 'o', description: 'declared output KEY (repeatable): the run fails if it was not logged', multiple: true}),
    name: Flags.string({description: 'run name (default: from the function and handler)'}),
    label: Flags.string({description: 'KEY=VALUE label (repeatable)', multiple: true}),
    kind: Flags.string({description: 'function kind', options: ['node', 'python', 'exec']}),
    python: Flags.string({description: 'Python interpreter for .py handlers', env: 'LODE_PYTHON'}),
    hub: Flags.string({description: 'hub folder or URL to resolve hub:// from (repeatable)', multiple: true}),
    events: Flags.string({description: 'print every event as one JSON line on stdout', options: ['ndjson']}),
    secret: Flags.string({description: 'KEY or KEY=ENV_VAR (repeatable): a secret from lode.yaml `secrets:` or an environment variable; reaches the handler, never the records', multiple: true}),
    'secret-file': Flags.string({description: 'secrets from a file: KEY=VALUE lines, or a YAML/JSON mapping (repeatable)', multiple: true}),
    hyperparam: Flags.string({char: 'x', description: 'KEY=[V1,V2,...] (repeatable): values to try; each iteration is a child run of one parent run', multiple: true, helpGroup: 'HYPERPARAMS'}),
    'hyper-file': Flags.string({description: 'hyperparams from a file: YAML/JSON name: [values], or CSV (a column per param, a line per iteration: list)', helpGroup: 'HYPERPARAMS'}),
    strategy: Flags.string({description: 'grid (every combination; the default), list (the i-th value of each), random (--max-iterations draws)', options: ['grid', 'list', 'random'], helpGroup: 'HYPERPARAMS'}),
    selector: Flags.string({description: 'max.RESULT or min.RESULT: picks the best iteration, whose results and artifacts the parent takes', helpGroup: 'HYPERPARAMS'}),
    'stop-condition': Flags.string({description: 'end the sweep once an iteration satisfies it, e.g. "accuracy >= 0.95" (bare names are results or hyperparams)', helpGroup: 'HYPERPARAMS'}),
    'max-errors': Flags.string({description: 'failed iterations tolerated; one more cancels the rest and fails the parent', helpGroup: 'HYPERPARAMS'}),
    parallel: Flags.string({description: 'iterations at once (default: the number of cores)', helpGroup: 'HYPERPARAMS'}),
    'max-iterations': Flags.string({description: 'random: how many iterations (default 10)', helpGroup: 'HYPERPARAMS'}),
    seed: Flags.string({description: 'random: the seed (recorded on the parent; the same seed repeats the sweep)', helpGroup: 'HYPERPARAMS'}),
    ...runtimeFlags,
  }

  async run(): Promise<Run> {
    const {runFromFlags} = await import('../lib/executor/run-command.ts')
    const {run, failure} = await runFromFlags(this.flags, this.args.function, this.argv, {
      json: this.jsonEnabled(), events: this.flags.events as 'ndjson' | undefined, warn: (text) => this.warn(text),
    })
    return this.settle(run, failure)
  }
}
