/** What stopped a run, as people say it: Ctrl-C for SIGINT, the signal's name otherwise. */
export function abortCause(signal: string): string {
  return signal === 'SIGINT' ? 'Ctrl-C' : signal
}

/** The word with its indefinite article: "a dataset", "an artifact". */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`
}

/** Edit distance between two words (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

/** The candidate closest to what was typed, when it is close enough to be what was meant. */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  const best = candidates.map((c) => ({c, d: editDistance(typed.toLowerCase(), c.toLowerCase())})).sort((x, y) => x.d - y.d)[0]
  return best && best.d <= Math.max(2, Math.floor(typed.length / 3)) ? best.c : undefined
}
