// Unknown params for a Python handler, refused before the run is recorded: the handler's signature is read from the
// file's syntax tree by a small probe (the user's module is never imported), and the answer is cached by the file's
// sha256, so a second run of the same file pays a hash and a small read.
import {mkdirSync, readFileSync} from '../util/fs.ts'
import {join} from 'node:path'
import {UserError} from '../errors.ts'
import type {ResolvedFunction} from '../executor/resolve-function.ts'
import {runQuick} from '../executor/spawn.ts'
import {writeFileAtomic} from '../project/project-file.ts'
import type {JsonValue} from '../types.ts'
import {defaultCacheDir} from '../util/cache-dir.ts'
import {hashFile} from '../util/hash.ts'
import {closest} from '../util/words.ts'
import {pythonInterpreter, pythonSdkDir} from './python.ts'

/** One top-level function, as the probe (lode_signature.py) describes it. */
export interface PythonFunctionSignature {
  /** named parameters in order (positional-only, positional, keyword-only; not *args or **kwargs) */
  params: string[]
  /** parameters annotated MLClientCtx or Context (the runner passes the context to them) */
  contextAnnotated: string[]
  varKeyword: boolean
  decorated: boolean
  /** calls get_or_create_ctx() (MLRun's way to reach the context without a context parameter) */
  readsContext?: boolean
  /** the module's own code names it (outside defs and `if __name__ == '__main__':`): the one function of a script */
  usedAtTop?: boolean
}

export interface PythonFileSignatures {
  functions: Record<string, PythonFunctionSignature>
  /** how many times each name is bound at module level (defs, classes, assignments, imports) */
  bindings: Record<string, number>
  /** names bound by an assignment (or a for or with target): such a name may hold a function too */
  assigned: string[]
  starImport: boolean
}

/** Names the runner gives the context to (lode/runner/binding.py CONTEXT_NAMES). */
const CONTEXT_NAMES = ['context', 'ctx']
// bump when lode_signature.py answers differently, so cached answers of the old probe are not used
const PROBE_VERSION = 3

/**
 * Refuses params (and inputs) that a Python handler can never read: it names them in its signature, takes no
 * **kwargs, and no context (through which get_param reads anything). Does nothing when no params or inputs are given, when
 * the function is not a Python file, or when the signature cannot be known for sure (a decorated or reassigned
 * handler, a file Python cannot parse): the runner then decides, as before.
 */
export async function checkPythonParams(fn: ResolvedFunction, params: Record<string, JsonValue>, inputs: Record<string, string> = {}, opts: {python?: string} = {}): Promise<string | null> {
  if (fn.kind !== 'python' || !fn.file || Object.keys(params).length + Object.keys(inputs).length === 0) return null
  const signatures = await readPythonSignatures(fn.file, pythonInterpreter({python: opts.python ?? fn.python}))
  const name = signatures && handlerName(signatures, fn.handler)
  const handler = name ? signatures.functions[name] : undefined
  if (!name || !handler || handler.decorated || handler.varKeyword) return null
  const given = [...Object.keys(params), ...Object.keys(inputs)]
  if (handler.readsContext || handler.contextAnnotated.length || handler.params.some((p) => CONTEXT_NAMES.includes(p) && !given.includes(p))) {
    // a param the function declares (hub functions: by name or by prefix, CLASS_*) is meant for get_param, not a typo
    const undeclared = given.filter((key) => !fn.parameters?.some((p) => p.name === key) && !fn.paramPrefixes?.some((prefix) => key.startsWith(prefix)))
    return nearMissWarning(`${fn.label}#${name}`, handler, undeclared)
  }
  const unknown = given.filter((key) => !handler.params.includes(key))
  if (!unknown.length) return null
  const where = `${fn.label}#${name}`
  const takes = handler.params.length ? `its parameters: ${handler.params.join(', ')}` : 'it takes no parameters'
  const guesses = unknown.map((key) => [key, closest(key, handler.params)] as const).filter(([, near]) => near)
  const didYouMean = guesses.map(([key, near]) => `${key} -> ${near}`).join(', ')
  throw new UserError(
    `${where} takes no ${unknown.length > 1 ? 'parameters' : 'parameter'} ${unknown.join(', ')} (${takes}).${didYouMean ? ` Did you mean: ${didYouMean}?` : ''}`,
    `Rename the param or input, or give ${name}() a **kwargs or a context parameter to read it with context.get_param().`,
  )
}

/**
 * A handler with a context may read any param (context.get_param), so an unknown one is passed on; but one a letter or
 * two from a parameter it declares is most likely a typo that would silently leave that parameter at its default.
 */
function nearMissWarning(where: string, handler: PythonFunctionSignature, given: string[]): string | null {
  const declared = handler.params.filter((p) => !CONTEXT_NAMES.includes(p) && !handler.contextAnnotated.includes(p))
  const guesses = given.filter((key) => !handler.params.includes(key)).map((key) => [key, closest(key, declared)] as const).filter(([, near]) => near)
  if (!guesses.length) return null
  const keys = guesses.map(([key]) => key)
  return `${where} has no parameter ${keys.join(', ')}: did you mean ${guesses.map(([, near]) => near).join(', ')}? (passed on all the same: the handler can read ${keys.length > 1 ? 'them' : 'it'} with context.get_param)`
}

/** The handler the runner would call (lode/runner/loader.py find_handler), when the syntax tree says so for sure. */
function handlerName(s: PythonFileSignatures, handler: string | null): string | undefined {
  const plainDef = (name: string) => (s.functions[name] && s.bindings[name] === 1 ? name : undefined)
  if (handler) return plainDef(handler)
  if (s.starImport) return undefined
  for (const name of ['handler', 'main']) if (s.bindings[name]) return plainDef(name)
  const defs = Object.keys(s.functions).filter((n) => !n.startsWith('_'))
  // a public name bound by an assignment may be a function of the module too (a lambda, a wrapped function)
  const assigned = s.assigned.filter((n) => !n.startsWith('_'))
  // a file whose one function its own code calls is a script (the runner's is_script): no handler to check
  return defs.length === 1 && !assigned.length && !s.functions[defs[0]!]!.usedAtTop ? plainDef(defs[0]!) : undefined
}

/** The file's top-level functions, from the cache or the probe; null when the probe cannot tell. */
export async function readPythonSignatures(file: string, python: string): Promise<PythonFileSignatures | null> {
  const {sha256} = await hashFile(file)
  const dir = join(defaultCacheDir(), 'python-signatures')
  const cached = join(dir, `v${PROBE_VERSION}-${sha256}.json`)
  try {
    return JSON.parse(readFileSync(cached, 'utf8')) as PythonFileSignatures
  } catch {
    /* not cached yet, or unreadable: ask the probe */
  }
  // no answer in time (or any other failure) leaves the params to the runner: nothing is refused on a guess
  const probe = await runQuick(python, ['-I', join(pythonSdkDir(), 'lode_signature.py'), file], {group: true})
  if (probe.failure || probe.exitCode !== 0) return null
  let answer: PythonFileSignatures
  try {
    answer = JSON.parse(probe.stdout) as PythonFileSignatures
  } catch {
    return null
  }
  try {
    mkdirSync(dir, {recursive: true})
    writeFileAtomic(cached, JSON.stringify(answer))
  } catch {
    /* a read-only cache: the next run asks the probe again */
  }
  return answer
}
