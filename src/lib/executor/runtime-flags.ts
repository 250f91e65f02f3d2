// The flags that choose where runs execute, shared by `lode run` and `lode workflow run`.
import {Flags} from '#oclif'

export const runtimeFlags = {
  runtime: Flags.string({description: 'where the handler runs: a local process, or a Slurm job (sbatch)', options: ['local', 'slurm']}),
  partition: Flags.string({description: 'slurm: the partition to submit to', helpGroup: 'SLURM'}),
  time: Flags.string({description: 'slurm: time limit (MM, HH:MM:SS, D-HH:MM:SS); past it the run is error TIMEOUT', helpGroup: 'SLURM'}),
  mem: Flags.string({description: 'slurm: memory per node, e.g. 4G', helpGroup: 'SLURM'}),
  cpus: Flags.integer({description: 'slurm: CPUs for the handler (--cpus-per-task)', min: 1, helpGroup: 'SLURM'}),
  gres: Flags.string({description: 'slurm: generic resources, e.g. gpu:1', helpGroup: 'SLURM'}),
  'slurm-arg': Flags.string({description: 'slurm: one more sbatch option, e.g. --slurm-arg=--qos=high (repeatable)', multiple: true, helpGroup: 'SLURM'}),
}
