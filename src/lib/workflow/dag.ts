// The DAG of a workflow, inferred from its references: checked (unknown steps, outputs, params, cycles) before anything runs.
import type {WorkflowSpec} from './spec.ts'
import {invalid} from './spec.ts'
import {findRefs, type TemplateProblem} from './template.ts'

export interface Dag {
  /** step -> the steps it waits for */
  deps: Map<string, string[]>
  /** step -> the steps that wait for it */
  dependents: Map<string, string[]>
  /** a topological order, stable with respect to the declaration order */
  order: string[]
}

export function buildDag(spec: WorkflowSpec): Dag {
  const problems: TemplateProblem[] = []
  const byName = new Map(spec.steps.map((s) => [s.name, s]))
  const deps = new Map<string, Set<string>>(spec.steps.map((s) => [s.name, new Set<string>()]))
  // Why a dependency exists, for the cycle message.
  const because = new Map<string, string>()

  const checkRefs = (value: Parameters<typeof findRefs>[0], field: string, from: string | null) => {
    for (const {ref, field: at, text} of findRefs(value, field, problems)) {
      if (ref.type === 'param') {
        if (!Object.hasOwn(spec.params, ref.name)) {
          const declared = Object.keys(spec.params)
          problems.push({field: at, message: `unknown param "${ref.name}" in ${text} (${declared.length ? `declared params: ${declared.join(', ')}` : 'the workflow declares no params: add them under "params:"'})`})
        }
        continue
      }
      const target = byName.get(ref.step)
      if (!target) {
        problems.push({field: at, message: `unknown step "${ref.step}" (steps: ${[...byName.keys()].join(', ')})`})
        continue
      }
      if (!target.outputs.includes(ref.key)) {
        problems.push({field: at, message: `unknown output "${ref.key}" of step "${ref.step}" (${target.outputs.length ? `its outputs: ${target.outputs.join(', ')}` : `it declares no outputs: add "outputs: [${ref.key}]" to steps.${ref.step}`})`})
        continue
      }
      if (from) {
        deps.get(from)!.add(ref.step)
        if (!because.has(`${from}>${ref.step}`)) because.set(`${from}>${ref.step}`, at)
      }
    }
  }

  for (const step of spec.steps) {
    checkRefs(step.params, `steps.${step.name}.params`, step.name)
    checkRefs(step.inputs, `steps.${step.name}.inputs`, step.name)
    if (step.hyperparams) checkRefs(step.hyperparams, `steps.${step.name}.hyperparams`, step.name)
    if (step.hyperOptions) checkRefs(step.hyperOptions, `steps.${step.name}.hyper_options`, step.name)
    for (const [i, other] of step.after.entries()) {
      if (!byName.has(other)) problems.push({field: `steps.${step.name}.after[${i}]`, message: `unknown step "${other}"`})
      else {
        deps.get(step.name)!.add(other)
        because.set(`${step.name}>${other}`, `steps.${step.name}.after[${i}]`)
      }
    }
  }
  checkRefs(spec.outputs, 'outputs', null)
  if (problems.length) throw invalid(spec.file, problems.map((p) => `${p.field}: ${p.message}`))

  const order = topologicalOrder(spec.steps.map((s) => s.name), deps)
  if (order.length < spec.steps.length) {
    const cycle = findCycle(deps, new Set(order))
    const fields = cycle.slice(0, -1).map((s, i) => because.get(`${s}>${cycle[i + 1]}`) ?? `steps.${s}`)
    throw invalid(spec.file, [`${fields[0]}: a cycle: ${cycle.join(' needs ')} (through ${fields.join(', ')})`])
  }
  const dependents = new Map<string, string[]>(spec.steps.map((s) => [s.name, []]))
  for (const [step, ds] of deps) for (const d of ds) dependents.get(d)!.push(step)
  return {deps: new Map([...deps].map(([k, v]) => [k, [...v]])), dependents, order}
}

function topologicalOrder(names: string[], deps: Map<string, Set<string>>): string[] {
  const done = new Set<string>()
  const order: string[] = []
  let progressed = true
  while (progressed) {
    progressed = false
    for (const name of names) {
      if (done.has(name)) continue
      if ([...deps.get(name)!].every((d) => done.has(d))) {
        done.add(name)
        order.push(name)
        progressed = true
      }
    }
  }
  return order
}

/** A cycle among the steps left out of the topological order, as [a, b, ..., a]. */
function findCycle(deps: Map<string, Set<string>>, ordered: Set<string>): string[] {
  const start = [...deps.keys()].find((s) => !ordered.has(s))!
  const path: string[] = []
  const seen = new Map<string, number>()
  let current = start
  while (!seen.has(current)) {
    seen.set(current, path.length)
    path.push(current)
    current = [...deps.get(current)!].find((d) => !ordered.has(d))!
  }
  return [...path.slice(seen.get(current)!), current]
}

/** Every step that (transitively) depends on `step`. */
export function downstreamOf(dag: Dag, step: string): Set<string> {
  const out = new Set<string>()
  const stack = [...(dag.dependents.get(step) ?? [])]
  while (stack.length) {
    const s = stack.pop()!
    if (out.has(s)) continue
    out.add(s)
    stack.push(...(dag.dependents.get(s) ?? []))
  }
  return out
}
