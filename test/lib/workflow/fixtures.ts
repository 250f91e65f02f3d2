// Temp projects with real handler files for workflow tests: steps that sleep briefly, log artifacts and results.
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

/** Handlers: `make` writes an artifact from params, `combine` reads inputs and writes one, `boom` fails. */
export const STEPS_TS = `
import {existsSync, writeFileSync} from 'node:fs'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Two steps given each other's names wait for each other: both end only if they ran at the same time. */
async function meet(self: string, partner: string) {
  writeFileSync('.started-' + self, '')
  const until = Date.now() + 60_000
  while (!existsSync('.started-' + partner)) {
    if (Date.now() > until) throw new Error('step ' + partner + ' never ran while ' + self + ' was running')
    await sleep(10)
  }
}

export async function make(ctx: any, args: {text?: string; delay?: number}) {
  const start = Date.now()
  await sleep(args.delay ?? 200)
  await ctx.logArtifact('out', {body: String(args.text ?? 'x')})
  ctx.logResults({start, end: Date.now()})
}

export async function combine(ctx: any, args: Record<string, any>) {
  const start = Date.now()
  if (args.meet) await meet(args.meet, args.partner)
  await sleep(args.delay ?? 200)
  const parts: string[] = []
  for (const key of Object.keys(ctx.inputs).sort()) parts.push(await ctx.inputs[key].getText())
  await ctx.logArtifact('out', {body: parts.join('+') + (args.suffix ?? '')})
  ctx.logResults({start, end: Date.now()})
}

export async function boom(ctx: any) {
  throw new Error('boom: the step failed on purpose')
}
`

export function tempProject(files: Record<string, string> = {}, name = 'wf'): string {
  const dir = mkdtempSync(join(tmpdir(), 'lode-wf-'))
  writeFileSync(join(dir, 'lode.yaml'), `name: ${name}\n`)
  writeFileSync(join(dir, 'steps.ts'), STEPS_TS)
  // ESM for the test runner's loader too (Node alone detects ESM syntax in a .ts file without it).
  writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n')
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), {recursive: true})
    writeFileSync(join(dir, path), text)
  }
  return dir
}

export function removeProject(dir: string): void {
  rmSync(dir, {recursive: true, force: true})
}

/** The diamond a -> (b, c) -> d, every step 0.2 s; `bHandler` lets a test make b fail. */
export function diamondYaml(o: {bHandler?: string; cText?: string} = {}): string {
  return `name: diamond
params:
  text: hello
  c_text: ${o.cText ?? 'c'}
steps:
  a:
    function: steps.ts#make
    params: {text: "{{ params.text }}"}
    outputs: [out]
  b:
    function: steps.ts#${o.bHandler ?? 'combine'}
    inputs: {x: "{{ steps.a.outputs.out }}"}
    params: {suffix: "-b"}
    outputs: [out]
  c:
    function: steps.ts#combine
    inputs: {x: "{{ steps.a.outputs.out }}"}
    params: {suffix: "-{{ params.c_text }}"}
    outputs: [out]
  d:
    function: steps.ts#combine
    inputs: {left: "{{ steps.b.outputs.out }}", right: "{{ steps.c.outputs.out }}"}
    outputs: [out]
outputs:
  final: "{{ steps.d.outputs.out }}"
`
}
