// What an error may quote of a file that failed to parse: one line, cut short. Parsers quote generously (YAML
// prints the lines around the fault), and the file may not be what it seems (a symlink to a secret).

export const EXCERPT_MAX = 80

/** The first line of `text`, cut at `max` characters. */
export function excerpt(text: string, max = EXCERPT_MAX): string {
  const line = text.split(/\r?\n/, 1)[0] ?? ''
  return line.length > max ? `${line.slice(0, max)}...` : line
}

/** A parser's error as one short line: YAML's "at line L, column C" kept, its quoted context dropped. */
export function parseProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return excerpt(message.replace(/:\s*$/m, ''), 160)
}

/** A name taken from a file, quoted for a message and cut short: a "name" may be a whole line the user never meant as one. */
export function quoteName(name: string, max = 40): string {
  return name.length > max ? `${JSON.stringify(name.slice(0, max))}...` : JSON.stringify(name)
}
