// A real single-node Slurm cluster in a temporary folder: munged, slurmctld and slurmd on free ports of 127.0.0.1,
// run as the current user, stopped (and the folder removed) by stop(). Clients find it through SLURM_CONF.
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {hostname, tmpdir, totalmem, userInfo} from 'node:os'
import {join} from 'node:path'
import {Project} from '../../src/lib/project/project.ts'

export interface Cluster {
  dir: string
  /** the environment clients need (SLURM_CONF) */
  env: Record<string, string>
  /** the node's name, as slurm.conf gives it */
  node: string
  /** stop and start slurmd (a node restarted mid-job) */
  restartNode(): Promise<void>
  /**
   * A node rebooted mid-job: slurmd, every slurmstepd and every process of its jobs killed at once (SIGKILL, nothing
   * can clean up), then slurmd started again as the node's boot would.
   */
  rebootNode(): Promise<void>
  stop(): Promise<void>
}

/** Whether slurm-wlm and munge are installed (the tests are skipped, saying so, when not). */
export function haveSlurm(): boolean {
  return ['slurmctld', 'slurmd', 'munged', 'sbatch'].every((c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0)
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as {port: number}).port
      srv.close(() => resolve(port))
    })
  })
}

async function waitFor(what: string, check: () => boolean, ms: number, logs: string[]): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) {
      const tails = logs.map((f) => {
        try {
          return `--- ${f}\n${readFileSync(f, 'utf8').split('\n').slice(-15).join('\n')}`
        } catch {
          return `--- ${f}: none`
        }
      })
      throw new Error(`slurm test cluster: ${what} within ${ms / 1000} s\n${tails.join('\n')}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** Processes running on the test node for its jobs: slurmstepd and whatever a job started (they have SLURM_JOB_ID). */
function jobProcesses(conf: string): number[] {
  const pids: number[] = []
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')
      if (!env.includes(`SLURM_CONF=${conf}`)) continue
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('slurmstepd') || env.some((e) => e.startsWith('SLURM_JOB_ID='))) pids.push(Number(pid))
    } catch {
      // gone, or not ours
    }
  }
  return pids
}

export interface ClusterOptions {
  cpus?: number
  /**
   * slurm.conf's SlurmdTimeout (30 by default here). The controller pings nodes every third of it and asks each to
   * register every ~20 pings: a job missing from a node that came back is failed (NODE_FAIL) at that registration.
   */
  slurmdTimeout?: number
  /**
   * Enforce --mem without cgroups: slurmd samples each job's memory every second (jobacct_gather/linux) and kills a
   * job past its limit (OverMemoryKill); memory becomes a resource jobs ask for (CR_Core_Memory).
   */
  memoryLimits?: boolean
}

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'lode-slurm-'))
  chmodSync(dir, 0o700)
  const node = hostname().split('.')[0]!
  const [ctlPort, dPort] = [await freePort(), await freePort()]
  for (const sub of ['munge', 'state', 'spool', 'log']) mkdirSync(join(dir, sub), {mode: 0o700})
  const key = join(dir, 'munge', 'munge.key')
  writeFileSync(key, randomBytes(1024), {mode: 0o600})
  const socket = join(dir, 'munge', 'munge.socket')
  const conf = join(dir, 'slurm.conf')
  const user = spawnSync('id', ['-un'], {encoding: 'utf8'}).stdout.trim()
  const memory = Math.floor((totalmem() / 1024 / 1024) * 0.9)
  writeFileSync(conf, [
    'ClusterName=lodetest',
    `SlurmctldHost=${node}(127.0.0.1)`,
    `SlurmUser=${user}`, `SlurmdUser=${user}`,
    `SlurmctldPort=${ctlPort}`, `SlurmdPort=${dPort}`,
    'AuthType=auth/munge', 'CredType=cred/munge', `AuthInfo=socket=${socket}`,
    'ProctrackType=proctrack/linuxproc', 'TaskPlugin=task/none',
    'SelectType=select/cons_tres', `SelectTypeParameters=${opts.memoryLimits ? 'CR_Core_Memory' : 'CR_Core'}`,
    'SchedulerParameters=batch_sched_delay=0,sched_min_interval=0',
    'AccountingStorageType=accounting_storage/none', 'JobCompType=jobcomp/none',
    ...(opts.memoryLimits ? ['JobAcctGatherType=jobacct_gather/linux', 'JobAcctGatherFrequency=task=1', 'JobAcctGatherParams=OverMemoryKill', 'DefMemPerCPU=1024'] : ['JobAcctGatherType=jobacct_gather/none']),
    'MinJobAge=3600', 'KillWait=2', 'ReturnToService=2', 'MpiDefault=none', `SlurmdTimeout=${opts.slurmdTimeout ?? 30}`, 'InactiveLimit=0',
    'OverTimeLimit=0',
    `StateSaveLocation=${join(dir, 'state')}`, `SlurmdSpoolDir=${join(dir, 'spool')}`,
    `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`, `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
    `SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}`, `SlurmdLogFile=${join(dir, 'log', 'slurmd.log')}`,
    `NodeName=${node} NodeAddr=127.0.0.1 CPUs=${opts.cpus ?? 2} RealMemory=${memory} State=UNKNOWN`,
    `PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
    '',
  ].join('\n'))
  const env = {SLURM_CONF: conf}
  const logs = [join(dir, 'log', 'munged.log'), join(dir, 'log', 'slurmctld.log'), join(dir, 'log', 'slurmd.log')]
  const daemons: Record<string, ChildProcess> = {}
  const daemon = (name: string, command: string, args: string[]) => {
    const child = spawn(command, args, {env: {...process.env, ...env}, stdio: 'ignore'})
    child.on('error', () => {})
    daemons[name] = child
  }
  const stop = async () => {
    // jobs first: a job's slurmstepd and its handler outlive slurmd, and a handler waiting on a gate would wait for ever
    if (daemons.slurmctld) {
      const client = {env: {...process.env, ...env}, encoding: 'utf8' as const, timeout: 10_000}
      spawnSync('scancel', ['--full', '--signal=KILL', '--user', userInfo().username], client)
      spawnSync('scancel', ['--user', userInfo().username], client)
      await waitFor('jobs still listed', () => (spawnSync('squeue', ['-h'], client).stdout ?? '').trim() === '', 15_000, logs).catch(() => undefined)
    }
    for (const name of ['slurmd', 'slurmctld', 'munged']) await stopProcess(daemons[name])
    rmSync(dir, {recursive: true, force: true})
  }
  try {
    daemon('munged', 'munged', ['-F', '--force', `--socket=${socket}`, `--key-file=${key}`, `--pid-file=${join(dir, 'munge', 'munged.pid')}`,
      `--log-file=${logs[0]}`, `--seed-file=${join(dir, 'munge', 'munged.seed')}`])
    await waitFor('munged did not start', () => spawnSync('munge', ['-n', `--socket=${socket}`]).status === 0, 10_000, logs)
    daemon('slurmctld', 'slurmctld', ['-D', '-i', '-f', conf])
    daemon('slurmd', 'slurmd', ['-D', '-f', conf])
    await waitFor('the node was not idle', () => /idle/.test(spawnSync('sinfo', ['-h', '-o', '%t'], {env: {...process.env, ...env}, encoding: 'utf8'}).stdout ?? ''), 20_000, logs)
  } catch (error) {
    await stop()
    throw error
  }
  // back when the controller hears from it again: a state without '*' (not responding) that takes jobs
  const nodeBack = () => waitFor('the node did not come back', () => /^(idle|mix|alloc|comp)$/m.test(spawnSync('sinfo', ['-h', '-o', '%t'], {env: {...process.env, ...env}, encoding: 'utf8'}).stdout ?? ''), 60_000, logs)
  return {
    dir, env, node, stop,
    async restartNode() {
      await stopProcess(daemons.slurmd)
      daemon('slurmd', 'slurmd', ['-D', '-f', conf])
      await nodeBack()
    },
    async rebootNode() {
      const slurmd = daemons.slurmd
      const gone = slurmd && slurmd.exitCode === null && slurmd.signalCode === null ? new Promise((resolve) => slurmd.once('exit', resolve)) : Promise.resolve()
      slurmd?.kill('SIGKILL')
      // again until none is left: a process may have started a child just before its parent was killed
      for (let pids = jobProcesses(conf); pids.length; pids = jobProcesses(conf)) {
        for (const pid of pids) {
          try {
            process.kill(pid, 'SIGKILL')
          } catch {
            // already gone
          }
        }
        await new Promise((r) => setTimeout(r, 50))
      }
      await gone
      daemon('slurmd', 'slurmd', ['-D', '-f', conf])
      await nodeBack()
    },
  }
}

/**
 * For a suite's before(): a cluster and a new lode project holding `files` (or skips the suite, saying why, where
 * Slurm is not installed). stopSlurmProject in after() undoes both.
 */
export async function startSlurmProject(suite: Mocha.Context, name: string, files: (dir: string) => Record<string, string>, opts: ClusterOptions = {}): Promise<{cluster: Cluster; dir: string}> {
  if (!haveSlurm()) {
    console.log('    (skipped: slurm-wlm and munge are not installed; apt-get install -y slurm-wlm munge)')
    suite.skip()
  }
  const cluster = await startCluster(opts)
  const dir = mkdtempSync(join(tmpdir(), `lode-slurm-${name}-`))
  Project.init(dir, {name})
  for (const [file, text] of Object.entries(files(dir))) writeFileSync(join(dir, file), text)
  return {cluster, dir}
}

export async function stopSlurmProject(cluster: Cluster | undefined, dir: string | undefined): Promise<void> {
  await cluster?.stop()
  if (!dir) return
  // what a failed test left running in the project (a lode still following a job): mocha would wait on it
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`)
      if (Number(pid) !== process.pid && (cwd === dir || cwd.startsWith(dir + '/'))) process.kill(Number(pid), 'SIGKILL')
    } catch {
      // gone, or not ours
    }
  }
  rmSync(dir, {recursive: true, force: true})
}
