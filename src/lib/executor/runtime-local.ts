// The local runtime: the handler in a process of lode's own machine, followed through its pipes (spawn.ts).
import type {Runtime} from './runtime.ts'
import {spawnHandler} from './spawn.ts'

export const localRuntime: Runtime = {
  name: 'local',
  run: (r) => spawnHandler({...r.plan, env: {...r.plan.env, ...r.secretEnv}}, {
    cwd: r.cwd, signal: r.signal, onEventLine: r.onEventLine, onOversizeLine: r.onOversizeLine, onOutput: r.onOutput, onStart: r.onStart,
  }),
}
