// Secret names: how a name is spelled, the variable that carries it to a handler, and params that look like one.
// Pure: the SDK imports it too.

export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** The environment variable a secret reaches its handler in: LODE_SECRET_<NAME in upper case>. */
export function secretEnvName(key: string): string {
  return `LODE_SECRET_${key.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`
}

const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'secret', 'token', 'credential', 'credentials', 'apikey'])
const SECRET_PAIRS = new Set(['api key', 'access key', 'private key', 'secret key'])

/**
 * Params whose name looks like a secret (db_password, apiKey, GITHUB_TOKEN, private-key): their values are recorded in
 * plain text, so the user is told about --secret. Words, not substrings: max_tokens or bypass do not count.
 */
export function secretLikeParams(params: Record<string, unknown>): string[] {
  return Object.keys(params).filter((name) => {
    const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean)
    return words.some((w, i) => SECRET_WORDS.has(w) || SECRET_PAIRS.has(`${w} ${words[i + 1]}`))
  })
}
