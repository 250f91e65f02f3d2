// Where secret values come from: --secret KEY[=ENV_VAR], --secret-file FILE, and `secrets:` in lode.yaml (which names
// an environment variable or a file for each). Values are read here, held in memory, and never written anywhere.
import {closeSync, constants, fstatSync, openSync, readFileSync} from '../util/fs.ts'
import {resolve} from 'node:path'
import {UserError} from '../errors.ts'
import {ownMap, parseYaml} from '../project/project-file.ts'
import {quoteName} from '../util/excerpt.ts'
import {humanSize} from '../util/format.ts'
import {specialKind, specialKindOf} from '../util/file-kind.ts'
import {SECRET_NAME, secretEnvName, secretLikeParams} from './names.ts'

/** `secrets:` in lode.yaml: NAME -> {env: VAR} | {file: PATH} (the whole file, one trailing newline dropped) | VAR. */
export type SecretSource = {env: string} | {file: string}

const SECRETS_HINT = `In lode.yaml:
  secrets:
    db_password: {env: PGPASSWORD}     # from an environment variable of lode
    api_token: {file: ~/.config/api-token}   # the content of a file`

/** A secret is a password or a key, not data: a bigger file is a mistake (or /dev/zero by another name). */
export const MAX_SECRET_FILE_BYTES = 1024 * 1024

/**
 * The text of a file that holds secrets: a regular file of at most MAX_SECRET_FILE_BYTES. A FIFO would wait for a
 * writer and a device never ends, so neither is opened for reading.
 */
function readSecretText(path: string, what: string): string {
  const refuse = (problem: string) => new UserError(`${what} ${path} is ${problem}.`, 'Give a regular file holding the secret (KEY=VALUE lines, or a YAML/JSON mapping for --secret-file).')
  let fd: number
  try {
    const special = specialKindOf(path)
    if (special) throw refuse(`${special}, not a file`)
    // O_NONBLOCK: should the file have become a FIFO since the check, opening it does not wait for a writer
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    if (error instanceof UserError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new UserError(`${what} ${path} cannot be read: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`)
  }
  try {
    const st = fstatSync(fd)
    const special = st.isDirectory() ? 'a directory' : specialKind(st)
    if (special) throw refuse(`${special}, not a file`)
    if (st.size > MAX_SECRET_FILE_BYTES) throw refuse(`${humanSize(st.size)}: a secret file holds at most 1 MiB`)
    return readFileSync(fd, 'utf8')
  } finally {
    closeSync(fd)
  }
}

function checkName(name: string, where: string): void {
  if (!SECRET_NAME.test(name)) throw new UserError(`Malformed secret name ${quoteName(name)} (${where}): use letters, digits and '_', not starting with a digit.`, 'Example: --secret db_password=PGPASSWORD')
}

/** The sources lode.yaml declares, checked for shape. */
export function configSecrets(config: Record<string, unknown>, configPath = 'lode.yaml'): Record<string, SecretSource> {
  const raw = config.secrets
  if (raw === undefined || raw === null) return ownMap<SecretSource>({})
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new UserError(`${configPath}: "secrets" must be a mapping of name -> {env: VAR} or {file: PATH}.`, SECRETS_HINT)
  const out = ownMap<SecretSource>({})
  for (const [name, src] of Object.entries(raw as Record<string, unknown>)) {
    checkName(name, `${configPath} secrets`)
    const s = src as {env?: unknown; file?: unknown} | null
    if (typeof src === 'string' && src) out[name] = {env: src}
    else if (s && typeof s === 'object' && typeof s.env === 'string' && s.env && s.file === undefined) out[name] = {env: s.env}
    else if (s && typeof s === 'object' && typeof s.file === 'string' && s.file && s.env === undefined) out[name] = {file: s.file}
    else throw new UserError(`${configPath}: secrets.${name} must be {env: VAR} or {file: PATH} (the value itself never goes in lode.yaml).`, SECRETS_HINT)
  }
  return out
}

/** A variable of `env`, never a method every object has (--secret toString). */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return Object.hasOwn(env, name) ? env[name] : undefined
}

function fromSource(name: string, src: SecretSource, o: {env: NodeJS.ProcessEnv; dir: string; byName?: boolean}): string {
  if ('env' in src) {
    // --secret api_token reads api_token, else API_TOKEN
    const v = envValue(o.env, src.env) ?? (o.byName ? envValue(o.env, src.env.toUpperCase()) : undefined)
    if (v === undefined) {
      // a value typed where the variable's name belongs must not be echoed: only a name spelled like one is shown
      const shown = o.byName ? `${src.env}${src.env.toUpperCase() === src.env ? '' : ` (or ${src.env.toUpperCase()})`}` : /^[A-Z_][A-Z0-9_]*$/.test(src.env) ? src.env : '(named after "=")'
      throw new UserError(`Secret ${name}: the environment variable ${shown} is not set.`,
        'Set it, or give the secret in a file: --secret-file FILE. --secret KEY=ENV_VAR takes the name of a variable, never the value.')
    }
    return v
  }
  const path = resolve(o.dir, src.file.replace(/^~(?=\/)/, o.env.HOME ?? '~'))
  return readSecretText(path, `Secret ${name}: the file`).replace(/\r?\n$/, '')
}

/** A secrets file: KEY=VALUE lines (# comments, blank lines), or a YAML/JSON mapping (.yaml, .yml, .json). */
export function readSecretsFile(path: string): Record<string, string> {
  const text = readSecretText(path, 'Secrets file')
  const out = ownMap<string>({})
  if (/\.(ya?ml|json)$/i.test(path)) {
    // the parser's message may quote the file: never show a line of a secrets file
    const doc = parseYaml(text, `Secrets file ${path}`, {quote: false, hint: 'It holds a mapping of name: value.'})
    if (doc === null || doc === undefined) return out
    if (typeof doc !== 'object' || Array.isArray(doc)) throw new UserError(`Secrets file ${path} must hold a mapping of name: value.`)
    for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
      checkName(k, path)
      if (v === null || typeof v === 'object') throw new UserError(`Secrets file ${path}: the value of ${k} must be a string.`)
      out[k] = String(v)
    }
    return out
  }
  text.split(/\r?\n/).forEach((line, i) => {
    const l = line.trim()
    if (!l || l.startsWith('#')) return
    const eq = l.indexOf('=')
    if (eq <= 0) throw new UserError(`Secrets file ${path}, line ${i + 1}: expected KEY=VALUE.`, 'Or give a YAML or JSON mapping in a .yaml or .json file.')
    const key = l.slice(0, eq).replace(/^export\s+/, '').trim()
    checkName(key, `${path}, line ${i + 1}`)
    const value = l.slice(eq + 1).trim()
    out[key] = /^(['"]).*\1$/.test(value) && value.length >= 2 ? value.slice(1, -1) : value
  })
  return out
}

export interface SecretRequest {
  /** --secret KEY (from lode.yaml's source for KEY, else the environment variable KEY) or KEY=ENV_VAR */
  flags?: string[]
  /** --secret-file FILE */
  files?: string[]
  /** names only (a workflow step's `secrets:`): lode.yaml's source, else the environment variable of that name */
  names?: string[]
}

/** The values of the secrets a run asks for. Every problem is a UserError raised before anything runs. */
export function collectSecrets(req: SecretRequest, o: {config: Record<string, unknown>; dir: string; env?: NodeJS.ProcessEnv}): Record<string, string> {
  const env = o.env ?? process.env
  const declared = configSecrets(o.config)
  const out = ownMap<string>({})
  for (const file of req.files ?? []) Object.assign(out, readSecretsFile(file))
  const byName = (name: string) => fromSource(name, declared[name] ?? {env: name}, {env, dir: o.dir, byName: !declared[name]})
  for (const name of req.names ?? []) {
    checkName(name, 'secrets')
    out[name] = byName(name)
  }
  for (const flag of req.flags ?? []) {
    const eq = flag.indexOf('=')
    const name = eq < 0 ? flag : flag.slice(0, eq)
    checkName(name, `--secret ${flag}`)
    out[name] = eq < 0 ? byName(name) : fromSource(name, {env: flag.slice(eq + 1)}, {env, dir: o.dir})
  }
  checkSecretNames(Object.keys(out))
  return out
}

/** Two names that reach the handler in the same variable (db_pass and DB_PASS) are refused. */
export function checkSecretNames(names: string[]): void {
  const seen = new Map<string, string>()
  for (const name of names) {
    checkName(name, 'secrets')
    const v = secretEnvName(name)
    const other = seen.get(v)
    if (other !== undefined && other !== name) throw new UserError(`Secrets ${other} and ${name} would both reach the handler as ${v}.`, 'Give them names that differ in more than case.')
    seen.set(v, name)
  }
}

/** The handler's environment variables for its secrets. */
export function secretEnv(secrets: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(secrets).map(([k, v]) => [secretEnvName(k), v]))
}

/** The warning for params that look like secrets: their values are recorded and shown in plain text. */
export function secretParamWarning(params: Record<string, unknown>): string | null {
  const names = secretLikeParams(params)
  if (!names.length) return null
  const first = names[0]!
  return `param${names.length > 1 ? 's' : ''} ${names.join(', ')} look${names.length > 1 ? '' : 's'} like a secret: params are stored and shown in plain text. ` +
    `Pass it as a secret instead: --secret ${first}=ENV_VAR (read it with ctx.getSecret('${first}') / context.get_secret('${first}'))`
}
