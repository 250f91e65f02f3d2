// How a sweep is shown: a live table of iterations on a terminal (outside CI), plain lines elsewhere, and every
// child's events as JSON lines on stdout (with `iter`) under --events ndjson. Ink loads only for the live view.
import type {HyperSummary, IterationSummary, Run, RunEvent} from '../types.ts'
import {palette} from './color.ts'
import {abortCause} from '../util/words.ts'
import {formatClock, isTerminalState} from './format.ts'
import {formatIterationLine, formatSweepStart, formatSweepSummary, initialSweepModel} from './hyper-lines.ts'
import type {SweepLive} from './hyper-view.tsx'
import {createOutputLines, type OutputLines} from './output-lines.ts'
import {isInteractive, outlastReaders, type ReporterOptions} from './reporter.ts'
import {shouldColor} from './color.ts'

export interface SweepReporter {
  onParent(parent: Run, total: number, parallel: number): void
  onIteration(it: IterationSummary, best: HyperSummary['best']): void
  onEvent(e: RunEvent & {iter?: number}): void
  /** a child's stdout/stderr; only --events ndjson shows it (each child's output.log keeps it) */
  onChildOutput?: (child: {uid: string; iter: number}, stream: 'stdout' | 'stderr', chunk: string | Uint8Array) => void
  abortNotice(signal: string): void
  finish(run: Run, summary: HyperSummary | undefined): Promise<void>
  dispose(): void
}

export async function createSweepReporter(opts: ReporterOptions): Promise<SweepReporter> {
  outlastReaders(opts)
  const model = initialSweepModel()
  const p = palette(shouldColor(opts.stream, opts.env) && !(opts.env ?? process.env)['CI'])
  const write = (line: string | null) => {
    if (line !== null && !opts.quiet) opts.stream.write(`${line}\n`)
  }
  const out = opts.stdout ?? process.stdout
  const ndjson = opts.events === 'ndjson'
  let live: SweepLive | null = null
  if (!opts.quiet && isInteractive(opts)) live = (await import('./hyper-view.tsx')).mountSweepView(opts.stream, model, p)
  let timer: NodeJS.Timeout | null = null
  const render = () => {
    timer ??= setTimeout(() => {
      timer = null
      live?.update({...model})
    }, 100)
  }
  const outputs = new Map<string, OutputLines>()

  return {
    onParent(parent, total, parallel) {
      model.uid = parent.uid
      model.name = parent.name
      model.total = total
      if (live) render()
      else write(formatSweepStart(parent, total, parallel, p))
    },
    onIteration(it, best) {
      model.iterations.set(it.iter, {...it})
      model.best = best
      if (live) render()
      else write(formatIterationLine(it, model, p))
    },
    onEvent(e) {
      if (!ndjson) return
      // a child's last line without its newline goes before the state that ends that child
      if (e.t === 'state' && isTerminalState(e.state)) outputs.get(e.run)?.flush()
      out.write(`${JSON.stringify(e)}\n`)
    },
    ...(ndjson
      ? {
          onChildOutput(child: {uid: string; iter: number}, stream: 'stdout' | 'stderr', chunk: string | Uint8Array) {
            let lines = outputs.get(child.uid)
            if (!lines) {
              lines = createOutputLines((s, text) => {
                const ts = Date.now()
                for (const line of text.split('\n')) out.write(`${JSON.stringify({t: 'output', ts, run: child.uid, iter: child.iter, stream: s, line})}\n`)
              })
              outputs.set(child.uid, lines)
            }
            lines.push(stream, chunk)
          },
        }
      : {}),
    abortNotice(signal) {
      model.aborting = abortCause(signal)
      if (live) render()
      else write(`${p.dim(formatClock(Date.now()))} ${p.yellow(`aborting (${abortCause(signal)}): stopping every iteration`)}`)
    },
    async finish(run, summary) {
      for (const lines of outputs.values()) lines.flush()
      if (timer) clearTimeout(timer)
      if (live) {
        live.update({...model})
        await live.finish()
      }
      if (summary) for (const line of formatSweepSummary(run, summary, p)) write(line)
    },
    dispose() {
      if (timer) clearTimeout(timer)
      void live?.finish()
    },
  }
}
