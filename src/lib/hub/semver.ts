// x.y.z versions of hub functions.

export const VERSION_PATTERN = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/

/** Ascending order of x.y.z versions; anything else sorts first, by text. */
export function compareVersions(a: string, b: string): number {
  const pa = VERSION_PATTERN.exec(a)
  const pb = VERSION_PATTERN.exec(b)
  if (!pa || !pb) return pa ? 1 : pb ? -1 : a < b ? -1 : a > b ? 1 : 0
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i])
    if (d !== 0) return d
  }
  return 0
}
