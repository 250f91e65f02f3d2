import {expect} from 'chai'
import {readdirSync} from 'node:fs'
import {validateKey} from '../../../../src/lib/artifacts/keys.ts'
import {TEST_PYTHON, assertCompleted, results, runHandler, workspace} from './run-handler.ts'

// One list for both SDKs: each must accept and refuse exactly the same keys, with the same message.
const KEYS = [
  'model', 'datasets/train', 'plots/roc-curve', 'a.b_c-D9', 'v1.2/x', 'a..b', '.hidden', 'x'.repeat(255),
  '', ' ', 'a b', 'a/', '/a', 'a//b', '..', '.', 'a/../b', 'a/./b', '../x', 'x'.repeat(256), 'a\n', 'a\\b',
  'café', 'cafe\u0301', 'ｍodel', 'a:b', 'a@b', 'a#b', 'emoji-😀', 'tab\t',
]

function tsVerdict(key: string): string {
  try {
    validateKey(key)
    return 'ok'
  } catch (error) {
    return (error as Error).message
  }
}

describe('python SDK: artifact keys and labels', () => {
  let ws: Awaited<ReturnType<typeof workspace>>
  before(async () => {
    ws = await workspace()
  })
  after(async () => {
    await ws.remove()
  })

  it('accepts and refuses the same keys as the TypeScript SDK, with the same message, before staging anything', async () => {
    const run = await runHandler(ws.root, {
      python: TEST_PYTHON,
      params: {keys: KEYS},
      source: `
def handler(context, keys):
    verdicts = []
    for key in keys:
        outcomes = []
        for log in (lambda: context.log_artifact(key, body='x'),
                    lambda: context.log_dataset(key, df=[{'a': 1}]),
                    lambda: context.log_model(key, body=b'w', model_file='m.bin')):
            try:
                log()
                outcomes.append('ok')
            except ValueError as err:
                outcomes.append(str(err))
        verdicts.append(outcomes)
    context.log_result('verdicts', verdicts)
`,
    })
    assertCompleted(run)
    const verdicts = results(run).verdicts as string[][]
    expect(verdicts).to.have.length(KEYS.length)
    KEYS.forEach((key, i) => {
      const ts = tsVerdict(key)
      for (const python of verdicts[i]!) {
        if (ts === 'ok') expect(python, JSON.stringify(key)).to.equal('ok')
        else expect(python, JSON.stringify(key)).to.equal(`${ts} Example: datasets/train, model, plots/roc-curve`)
      }
    })
    const accepted = KEYS.filter((k) => tsVerdict(k) === 'ok')
    expect(accepted.length).to.be.within(5, KEYS.length - 5)
    // three staged entries (artifact, dataset, model) per accepted key, none for a refused one
    expect(readdirSync(run.stagingDir)).to.have.length(accepted.length * 3)
    expect(run.events.filter((e) => e.t === 'artifact')).to.have.length(accepted.length * 3)
  })

  it('refuses an empty label key or labels that are not a dict, before staging', async () => {
    const run = await runHandler(ws.root, {
      python: TEST_PYTHON,
      source: `
def handler(context):
    outcomes = []
    for log in (lambda: context.log_artifact('a', body='x', labels={'': 'v'}),
                lambda: context.log_dataset('d', df=[{'a': 1}], labels={' ': 'v'}),
                lambda: context.log_artifact('b', body='x', labels=['team']),
                lambda: context.set_label('', 'v')):
        try:
            log()
            outcomes.append('ok')
        except (ValueError, TypeError) as err:
            outcomes.append(str(err))
    context.log_artifact('c', body='x', labels={'team': 7})
    context.log_result('outcomes', outcomes)
`,
    })
    assertCompleted(run)
    expect(results(run).outcomes).to.deep.equal([
      'Invalid label key "": a label key must be a non-empty string. Example: team=ml',
      'Invalid label key " ": a label key must be a non-empty string. Example: team=ml',
      'labels must be a dict of key: value, not list',
      'Invalid label key "": a label key must be a non-empty string. Example: team=ml',
    ])
    const staged = run.events.filter((e) => e.t === 'artifact')
    expect(staged.map((e) => [e.key, e.labels])).to.deep.equal([['c', {team: '7'}]])
    expect(readdirSync(run.stagingDir)).to.have.length(1)
  })
})
