// The names a run is given (input names, param names, output keys), checked by one set of rules wherever they
// come from: the command line, lode.yaml, a workflow file or the library API. An input name becomes a folder
// name under the run's folder, so a name with '/' or '..' must never get that far.
import {keyProblem} from '../artifacts/keys.ts'
import {UserError} from '../errors.ts'
import {quoteName} from '../util/excerpt.ts'
import {PARAM_VALUE_HINT, paramValueProblem} from './param-values.ts'

const INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/

/** What is wrong with an input name, or null. */
export function inputNameProblem(name: string): string | null {
  return INPUT_NAME.test(name) && name !== '__proto__' ? null : `malformed input name ${quoteName(name)}: use letters, digits and '_' (a parameter name of the handler)`
}

/** What is wrong with a param name, or null. */
export function paramNameProblem(name: string): string | null {
  if (name === '__proto__') return `the param name "__proto__" is not allowed: it would change the params object itself`
  return PARAM_NAME.test(name) ? null : `malformed param name ${quoteName(name)}: use letters, digits, '_', '-' and '.'`
}

/** What is wrong with a declared output key (an artifact key), or null. */
export function outputKeyProblem(key: string): string | null {
  const problem = keyProblem(key)
  return problem ? `malformed output key ${quoteName(key)}: ${problem}` : null
}

/** Throw one UserError listing every bad name of a run (the library API and the executor's last check). */
export function checkRunNames(r: {inputs?: Record<string, unknown>; params?: Record<string, unknown>; outputs?: readonly string[]}): void {
  const problems = [
    ...Object.keys(r.inputs ?? {}).map(inputNameProblem),
    ...Object.entries(r.params ?? {}).map(([k, v]) => paramNameProblem(k) ?? paramValueProblem(k, v)),
    ...(r.outputs ?? []).map((k) => outputKeyProblem(String(k))),
  ].filter((p): p is string => p !== null)
  // the advice on param values only where a param value is at fault
  const values = Object.entries(r.params ?? {}).some(([k, v]) => !paramNameProblem(k) && paramValueProblem(k, v))
  if (problems.length) throw new UserError(`${capitalize(problems.join('; '))}.`, `Example: -i dataset=data.csv -p n_estimators=10 -o model.${values ? ` ${PARAM_VALUE_HINT}` : ''}`)
}

/** A problem as the first words of an error message. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
