// A tiny colour helper for plain output. Ink views colour through <Text>; this is for strings.

export interface ColorStream {
  isTTY?: boolean
}

/**
 * Whether to colour output written to `stream`. FORCE_COLOR wins when set (`0` or `false` turn colour off),
 * as in Node's own tty module; then NO_COLOR (any non-empty value) disables; otherwise colour only on a TTY
 * whose TERM is not `dumb`.
 */
export function shouldColor(stream: ColorStream | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env['FORCE_COLOR']
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false'
  if (env['NO_COLOR']) return false
  return Boolean(stream?.isTTY) && env['TERM'] !== 'dumb'
}

export type Paint = (text: string) => string

export interface Palette {
  enabled: boolean
  bold: Paint
  dim: Paint
  red: Paint
  green: Paint
  yellow: Paint
  blue: Paint
  magenta: Paint
  cyan: Paint
  gray: Paint
}

function sgr(open: number, close: number): Paint {
  return (text) => `\u001B[${open}m${text}\u001B[${close}m`
}

const identity: Paint = (text) => text

export function palette(enabled: boolean): Palette {
  if (!enabled) {
    return {enabled, bold: identity, dim: identity, red: identity, green: identity, yellow: identity,
      blue: identity, magenta: identity, cyan: identity, gray: identity}
  }
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    blue: sgr(34, 39),
    magenta: sgr(35, 39),
    cyan: sgr(36, 39),
    gray: sgr(90, 39),
  }
}

/** Removes SGR colour sequences (used to measure coloured cells). */
export function stripColor(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001B\[[0-9;]*m/g, '')
}
