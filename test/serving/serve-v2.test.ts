// The V2 protocol's request checks and answers (src/lib/serving/v2.ts), on their own: shapes flat and nested,
// datatypes, one input per feature, requested outputs, and the datatype of the labels answered.
import {expect} from 'chai'
import {BadRequest, datatypeOf, inferResponse, modelMetadata, parseInferRequest} from '../../src/lib/serving/v2.ts'
import type {ModelInfo} from '../../src/lib/serving/types.ts'

const model: ModelInfo = {name: 'm', version: 'v2', uri: 'store://models/p/m@x', platform: 'sklearn', algorithm: 'RandomForestClassifier', features: 3, featureNames: ['a', 'b', 'c'], classes: ['no', 'yes'], hasProba: true}

function refused(body: unknown, message: RegExp, m: ModelInfo = model): void {
  expect(() => parseInferRequest(body, m)).to.throw(BadRequest, message)
}

describe('serving: the V2 protocol', () => {
  it('reads one [N, F] input, flat or nested, into rows; BOOL and integer datatypes as numbers', () => {
    const flat = parseInferRequest({id: 'q', inputs: [{name: 'x', shape: [2, 3], datatype: 'FP32', data: [1, 2, 3, 4, 5, 6]}]}, model)
    expect(flat).to.deep.equal({id: 'q', rows: [[1, 2, 3], [4, 5, 6]], outputs: ['predict']})
    expect(parseInferRequest({inputs: [{name: 'x', shape: [2, 3], datatype: 'INT64', data: [[1, 2, 3], [4, 5, 6]]}]}, model).rows).to.deep.equal([[1, 2, 3], [4, 5, 6]])
    expect(parseInferRequest({inputs: [{name: 'x', shape: [1, 3], datatype: 'BOOL', data: [true, false, true]}]}, model).rows).to.deep.equal([[1, 0, 1]])
    expect(parseInferRequest({inputs: [{name: 'x', shape: [0, 3], datatype: 'FP64', data: []}]}, model).rows).to.deep.equal([])
  })

  it('reads one input per feature, by name, in the model\'s order', () => {
    const r = parseInferRequest({inputs: [
      {name: 'c', shape: [2, 1], datatype: 'FP64', data: [[3], [30]]},
      {name: 'a', shape: [2], datatype: 'FP64', data: [1, 10]},
      {name: 'b', shape: [2], datatype: 'INT32', data: [2, 20]},
    ], outputs: [{name: 'predict_proba'}]}, model)
    expect(r.rows).to.deep.equal([[1, 2, 3], [10, 20, 30]])
    expect(r.outputs).to.deep.equal(['predict_proba'])
  })

  it('refuses what does not fit, saying what was wrong', () => {
    refused({inputs: [{name: 'x', shape: [2, 3], datatype: 'FP64', data: [[1, 2, 3], [4, 5]]}]}, /holds 6 values, but "data" has 5/)
    refused({inputs: [{name: 'x', shape: [1, 3], datatype: 'FP64', data: [[[1], 2, 3]]}]}, /nested deeper than its shape/)
    refused({inputs: [{name: 'x', shape: [1, 3], datatype: 'UINT8', data: [1, -2, 3]}]}, /negative in an unsigned datatype UINT8/)
    refused({inputs: [{name: 'x', shape: [1, 3], datatype: 'BOOL', data: [1, 0, 1]}]}, /not a boolean/)
    refused({inputs: [{name: 'x', shape: [1, 3], datatype: 'FP64', data: [1, null, 3]}]}, /element 1 is null, not a number/)
    refused(JSON.parse('{"inputs": [{"name": "x", "shape": [1, 3], "datatype": "FP64", "data": [1, 1e400, 3]}]}'), /element 1 is beyond the range of a 64-bit float/)
    refused({inputs: [{name: 'x', shape: [1, 3], datatype: 'INT8', data: [1, 1000, 3]}]}, /element 1 is 1000, outside INT8's range -128\.\.127/)
    refused({inputs: [{name: 'x', shape: [1, 3], datatype: 'UINT16', data: [1, 65536, 3]}]}, /element 1 is 65536, outside UINT16's range 0\.\.65535/)
    refused({inputs: [{name: 'a', shape: [1], datatype: 'FP64', data: [1]}, {name: 'a', shape: [1], datatype: 'FP64', data: [1]}]}, /given twice/)
    refused({inputs: [{name: 'a', shape: [1], datatype: 'FP64', data: [1]}, {name: 'z', shape: [1], datatype: 'FP64', data: [1]}]}, /"z" is not one of the model's features/)
    refused({inputs: [{name: 'a', shape: [1], datatype: 'FP64', data: [1]}, {name: 'b', shape: [2], datatype: 'FP64', data: [1, 2]}, {name: 'c', shape: [1], datatype: 'FP64', data: [1]}]}, /same number of rows/)
    refused({inputs: [{name: 'a', shape: [1], datatype: 'FP64', data: [1]}]}, /does not name its features/, {...model, featureNames: null})
    refused({id: 7, inputs: [{name: 'x', shape: [1, 3], datatype: 'FP64', data: [1, 2, 3]}]}, /"id" must be a string/)
    refused({inputs: [{name: 'x', shape: [1, 3], datatype: 'FP64', data: [1, 2, 3]}], outputs: [{name: 'predict_proba'}]}, /Unknown output "predict_proba"/, {...model, hasProba: false})
  })

  it('answers typed, shaped outputs, and describes the model', () => {
    const request = {rows: [[1, 2, 3], [4, 5, 6]], outputs: ['predict', 'predict_proba'], id: 'q'}
    const answer = inferResponse(model, request, {predict: ['no', 'yes'], proba: [[0.9, 0.1], [0.2, 0.8]]})
    expect(answer).to.deep.equal({model_name: 'm', model_version: 'v2', id: 'q', outputs: [
      {name: 'predict', datatype: 'BYTES', shape: [2], data: ['no', 'yes']},
      {name: 'predict_proba', datatype: 'FP64', shape: [2, 2], data: [0.9, 0.1, 0.2, 0.8]},
    ]})
    expect([datatypeOf([0, 1]), datatypeOf([0.5, 1]), datatypeOf([true, false]), datatypeOf(['a'])]).to.deep.equal(['INT64', 'FP64', 'BOOL', 'BYTES'])
    const meta = modelMetadata(model)
    expect(meta.inputs).to.deep.equal([{name: 'input-0', datatype: 'FP64', shape: [-1, 3]}])
    expect(meta.outputs).to.deep.equal([{name: 'predict', datatype: 'BYTES', shape: [-1]}, {name: 'predict_proba', datatype: 'FP64', shape: [-1, 2]}])
  })
})
