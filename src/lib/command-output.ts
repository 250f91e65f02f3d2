// What every command prints, without oclif: the --json envelope and errors for the terminal. The lean start-up
// paths (src/cli-lean.ts, src/cli-log.ts) print through these too, so their output is the commands' own.
import {LodeError, UserError, toLodeError} from './errors.ts'
import {escapeControls, escapeJsonControls} from './views/format.ts'

/**
 * Indented JSON safe on a terminal: JSON.stringify leaves DEL, C1 controls (U+009B is a CSI), bidi controls and line
 * separators raw; they are written as \u escapes, the same JSON value.
 */
export function jsonEnvelopeText(json: unknown): string {
  return `${escapeJsonControls(JSON.stringify(json, null, 2))}\n`
}

/** oclif's own parse errors (unknown flag, missing argument) are the user's, not bugs. */
export function fromAnyError(err: unknown, command?: string): LodeError {
  if (err instanceof LodeError) return err
  const e = err as Error & {oclif?: {exit?: number}}
  if (e && typeof e === 'object' && 'oclif' in e && e.oclif) {
    const msg = e.message.replace(/\n\s*See more help with --help$/, '').replace(/\n\s+/g, ' ')
    return new UserError(msg, `See: lode ${command ?? '<command>'} --help`, {exitCode: e.oclif.exit === 0 ? 0 : 2})
  }
  return toLodeError(err)
}

export function errorJson(e: LodeError): Record<string, unknown> {
  return {code: e.code, message: e.message, hint: e.hint ?? null, exitCode: e.exitCode, ...(e.details ? {details: e.details} : {})}
}

/** An error for the terminal: what it quotes (a hub's text, a file's) is shown with its control characters escaped. */
export function formatError(e: LodeError): string {
  let text = `Error: ${escapeControls(e.message, {multiline: true})}\n`
  if (e.hint) text += `Hint: ${escapeControls(e.hint, {multiline: true})}\n`
  if (e.code === 'internal' && e.details?.stack) text += `${String(e.details.stack)}\n`
  return text
}
