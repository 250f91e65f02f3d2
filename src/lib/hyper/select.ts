// The best iteration by the selector (MLRun's max./min.), and the stop condition over one iteration.
import {evaluate, fieldValue} from '../query/evaluate.ts'
import type {Expr} from '../query/parse.ts'
import type {HyperOptions, HyperSummary, IterationSummary, JsonValue} from '../types.ts'

/**
 * The selector's value in an iteration's results. A dotted name is a result of that name, or else a path into a nested
 * result (`max.metrics.auc`), as the stop condition reads it.
 */
export function selectorValue(results: Record<string, JsonValue>, key: string): JsonValue | undefined {
  return Object.hasOwn(results, key) ? results[key] : fieldValue({results, params: {}, labels: {}}, {kind: 'json', map: 'results', path: key.split('.')})
}

/** The completed iteration whose selector result is highest (max.) or lowest (min.); the first such on a tie. */
export function bestIteration(iterations: IterationSummary[], selector: HyperOptions['selector']): HyperSummary['best'] {
  if (!selector) return null
  let best: {it: IterationSummary; value: number} | null = null
  for (const it of iterations) {
    const v = selectorValue(it.results, selector.key)
    if (it.state !== 'completed' || it.uid === null || typeof v !== 'number' || Number.isNaN(v)) continue
    if (!best || (selector.op === 'max' ? v > best.value : v < best.value) || (v === best.value && it.iter < best.it.iter)) best = {it, value: v}
  }
  if (!best) return null
  return {iter: best.it.iter, uid: best.it.uid!, value: best.value, why: `${selector.op}.${selector.key} = ${best.value}`}
}

/** Whether a completed iteration satisfies the stop condition (over its results, params and state). */
export function stopsAt(condition: Expr | null, it: IterationSummary): boolean {
  if (!condition || it.state !== 'completed') return false
  return evaluate(condition, {results: it.results, params: it.params, labels: {}, state: it.state, iter: it.iter})
}
