// Solving small dense linear systems (Gaussian elimination with partial pivoting).

export function solve(a: number[][], b: number[]): number[] {
  const n = b.length
  const m = a.map((row, i) => [...row, b[i] as number])
  for (let col = 0; col < n; col++) {
    let pivot = col
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r
    if (Math.abs(m[pivot]![col]!) < 1e-300) throw new Error('singular system: the features are linearly dependent')
    ;[m[col], m[pivot]] = [m[pivot]!, m[col]!]
    const top = m[col]!
    for (let r = col + 1; r < n; r++) {
      const row = m[r]!
      const factor = row[col]! / top[col]!
      if (factor === 0) continue
      for (let c = col; c <= n; c++) row[c] = row[c]! - factor * top[c]!
    }
  }
  const x = new Array<number>(n).fill(0)
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r]!
    let sum = row[n]!
    for (let c = r + 1; c < n; c++) sum -= row[c]! * x[c]!
    x[r] = sum / row[r]!
  }
  return x
}
