// Limited-memory BFGS with a backtracking (Armijo) line search: deterministic, no tuning of a learning rate.

export type Objective = (w: Float64Array) => {value: number; gradient: Float64Array}

export function minimize(objective: Objective, start: Float64Array, options: {maxIter: number; tol: number; memory?: number}): Float64Array {
  const memory = options.memory ?? 10
  let w = start.slice()
  let {value, gradient} = objective(w)
  const steps: Float64Array[] = []
  const changes: Float64Array[] = []
  const rhos: number[] = []
  for (let iter = 0; iter < options.maxIter; iter++) {
    if (maxAbs(gradient) < options.tol) break
    const direction = twoLoop(gradient, steps, changes, rhos)
    let slope = dot(direction, gradient)
    if (slope >= 0) {
      // not a descent direction: restart from steepest descent
      steps.length = changes.length = rhos.length = 0
      direction.set(gradient.map((g) => -g))
      slope = dot(direction, gradient)
    }
    let step = steps.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(gradient, gradient))) : 1
    let next = w
    let evaluated = {value, gradient}
    for (let tries = 0; tries < 40; tries++) {
      next = w.map((v, i) => v + step * (direction[i] as number))
      evaluated = objective(next)
      if (evaluated.value <= value + 1e-4 * step * slope) break
      step /= 2
    }
    if (evaluated.value > value) break
    const s = next.map((v, i) => v - (w[i] as number))
    const change = evaluated.gradient.map((g, i) => g - (gradient[i] as number))
    const sy = dot(s, change)
    if (sy > 1e-12) {
      steps.push(s)
      changes.push(change)
      rhos.push(1 / sy)
      if (steps.length > memory) {
        steps.shift()
        changes.shift()
        rhos.shift()
      }
    }
    const improvement = value - evaluated.value
    w = next
    value = evaluated.value
    gradient = evaluated.gradient
    if (improvement <= 1e-15 * Math.max(1, Math.abs(value))) break
  }
  return w
}

function twoLoop(gradient: Float64Array, steps: Float64Array[], changes: Float64Array[], rhos: number[]): Float64Array {
  const q = gradient.slice()
  const alphas: number[] = []
  for (let k = steps.length - 1; k >= 0; k--) {
    const alpha = (rhos[k] as number) * dot(steps[k] as Float64Array, q)
    alphas[k] = alpha
    axpy(-alpha, changes[k] as Float64Array, q)
  }
  const last = steps.length - 1
  if (last >= 0) {
    const y = changes[last] as Float64Array
    const gamma = dot(steps[last] as Float64Array, y) / dot(y, y)
    for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) * gamma
  }
  for (let k = 0; k < steps.length; k++) {
    const beta = (rhos[k] as number) * dot(changes[k] as Float64Array, q)
    axpy((alphas[k] as number) - beta, steps[k] as Float64Array, q)
  }
  return q.map((v) => -v)
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number)
  return sum
}

function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] = (y[i] as number) + alpha * (x[i] as number)
}

function maxAbs(a: Float64Array): number {
  let m = 0
  for (const v of a) m = Math.max(m, Math.abs(v))
  return m
}
