import {expect} from 'chai'
import {NotFoundError} from '../../../src/lib/errors.ts'
import {hubParamDocs} from '../../../src/lib/hub/param-docs.ts'
import {parseFunctionSpec} from '../../../src/lib/hub/schema.ts'

const spec = parseFunctionSpec(`name: trainer
version: 2.1.0
kind: node
description: Train things
source: t.ts
default_handler: train
handlers:
  - name: train
    doc: Fit a model.
    parameters:
      - {name: model_class, type: str, doc: "which model"}
      - {name: test_size, type: float, default: 0.2, doc: "held out"}
    inputs:
      - {name: dataset, doc: "the training data"}
    outputs: [model, accuracy]
  - name: predict
`)

describe('hub/param-docs', () => {
  it("describes the default handler's parameters, inputs and outputs", () => {
    expect(hubParamDocs(spec)).to.equal(
      [
        'hub://trainer:2.1.0  Train things',
        '',
        'HANDLER  train (default)',
        '  Fit a model.',
        '',
        'PARAMETERS',
        '  model_class  str    required     which model',
        '  test_size    float  default 0.2  held out',
        '',
        'INPUTS',
        '  dataset  the training data',
        '',
        'OUTPUTS',
        '  model, accuracy',
        '',
        'OTHER HANDLERS  predict',
        '',
      ].join('\n'),
    )
  })

  it('describes another handler, and refuses an unknown one', () => {
    expect(hubParamDocs(spec, 'predict')).to.contain('HANDLER  predict\n').and.contain('PARAMETERS\n  (none)')
    expect(() => hubParamDocs(spec, 'nope')).to.throw(NotFoundError, /no handler "nope"/)
  })
})
