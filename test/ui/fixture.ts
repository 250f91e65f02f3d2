// A project with real runs for the UI's tests: three trainings with different params, each logging a dataset, an
// HTML page and an SVG that carry scripts, a model, results and a line of output.
import {tempProject} from '../helpers/project.ts'

export const HOSTILE_HTML = '<html><body><h1>report</h1><script>try { parent.document.body.dataset.pwned = "1" } catch (e) {} window.ran = 1; document.title = "ran"</script></body></html>'
export const HOSTILE_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="50" height="50"><script>try { parent.document.body.dataset.pwned = "svg" } catch (e) {}</script><rect width="50" height="50" fill="teal"/></svg>'

export const HANDLER = `
import {writeFileSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
export async function train(ctx, {lr = 0.1, depth = 3}) {
  const dir = mkdtempSync(join(tmpdir(), 'lode-ui-fixture-'))
  const rows = ['x,y,label']
  for (let i = 0; i < 60; i++) rows.push(\`\${(i * lr).toFixed(3)},\${(i * 7) % 11},\${i % 2 ? 'a' : 'b'}\`)
  writeFileSync(join(dir, 'data.csv'), rows.join('\\n') + '\\n')
  await ctx.logDataset('data', {localPath: join(dir, 'data.csv')}, {format: 'csv'})
  await ctx.logPlot('page', {body: ${JSON.stringify(HOSTILE_HTML)}}, {format: 'html'})
  await ctx.logPlot('chart', {body: ${JSON.stringify(HOSTILE_SVG)}}, {format: 'svg'})
  await ctx.logModel('model', {body: 'weights ' + lr, modelFile: 'model.bin', metrics: {accuracy: 0.5 + lr}, framework: 'test', algorithm: 'tree'})
  ctx.logResult('accuracy', 0.5 + lr)
  ctx.logResult('loss', 1 - lr)
  console.log('trained with lr', lr, 'depth', depth)
}
`

export async function uiFixture(runs: {lr: number; depth: number}[] = [{lr: 0.1, depth: 2}, {lr: 0.2, depth: 4}, {lr: 0.3, depth: 8}]) {
  const t = await tempProject('uitest')
  t.write('train.ts', HANDLER)
  const made = []
  for (const params of runs) {
    const run = await t.project.run('train.ts#train', {params})
    if (run.state !== 'completed') throw new Error(`fixture run failed: ${JSON.stringify(run.error)}`)
    made.push(run)
  }
  return {...t, runs: made}
}
