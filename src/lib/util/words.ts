/** The word with its indefinite article: "a dataset", "an artifact". */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? 'an' : 'a'} ${word}`
}
