// The grammar of every reference lode takes: store://, short forms, RUN/OUTPUT, hub://, FILE#HANDLER, id prefixes.
import {expect} from 'chai'
import {EXIT, NotFoundError, UserError} from '../../../src/lib/errors.ts'
import {runOutputUri} from '../../../src/lib/uri/resolve.ts'
import {
  formatArtifactRef, formatFunctionRef, formatHubRef, formatRunOutputRef, isHubRef, isStoreUri, parseArtifactRef, parseFunctionRef, parseHubRef,
  parseIdPrefix, parseRunOutputRef, toHubRef, versionUri,
} from '../../../src/lib/uri/refs.ts'
import {validateKey} from '../../../src/lib/artifacts/keys.ts'
import {tempProject} from '../../helpers/project.ts'

/** The error `fn` throws (it must throw). */
function errorOf(fn: () => unknown): Error {
  try {
    fn()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected an error, none was thrown')
}

const EXAMPLES = 'Use store://datasets/<project>/<key>[#<iter>][:<tag>][@<run-uid>], or KEY, KEY:TAG, KEY@RUN'

describe('uri/refs', () => {
  describe('artifact references', () => {
    const valid: [string, ReturnType<typeof parseArtifactRef>][] = [
      ['data', {key: 'data'}],
      ['  data  ', {key: 'data'}],
      ['group/data.v2.csv', {key: 'group/data.v2.csv'}],
      ['data:prod', {key: 'data', tag: 'prod'}],
      ['data:v3', {key: 'data', tag: 'v3'}],
      ['data@1a2b', {key: 'data', producer: '1a2b'}],
      ['data#2', {key: 'data', iter: 2}],
      ['data#2:prod@ABCD12', {key: 'data', iter: 2, tag: 'prod', producer: 'ABCD12'}],
      ['store://artifacts/proj/k', {category: 'artifacts', project: 'proj', key: 'k'}],
      ['store://datasets/proj/group/data#2:prod@abcd12', {category: 'datasets', project: 'proj', key: 'group/data', iter: 2, tag: 'prod', producer: 'abcd12'}],
      ['store://models/proj/model@0123456789abcdef0123456789abcdef', {category: 'models', project: 'proj', key: 'model', producer: '0123456789abcdef0123456789abcdef'}],
    ]
    for (const [text, parsed] of valid) {
      it(`parses ${JSON.stringify(text)}`, () => expect(parseArtifactRef(text)).to.deep.equal(parsed))
    }

    const malformed: [string, string][] = [
      ['', 'Empty artifact reference.'],
      ['   ', 'Empty artifact reference.'],
      ['store://things/p/k', 'Unknown store URI category "things" in "store://things/p/k": expected artifacts, datasets or models.'],
      ['store://datasets/k', 'Malformed store URI "store://datasets/k".'],
      ['store:/models/proj/model', 'Malformed store URI "store:/models/proj/model".'],
      ['s3://bucket/key', 'Malformed store URI "s3://bucket/key".'],
      ['data@not-hex!', `Malformed run uid "not-hex!" after '@' in "data@not-hex!".`],
      ['data@', `Malformed run uid "" after '@' in "data@".`],
      ['data:bad tag', 'Malformed tag "bad tag" in "data:bad tag".'],
      ['data:', 'Malformed tag "" in "data:".'],
      ['data#x', 'Malformed iteration "#x" in "data#x": expected a number.'],
      ['data#99999999999999999999', 'Iteration "#99999999999999999999" in "data#99999999999999999999" is past any iteration a sweep runs.'],
      [':prod', 'No key in artifact reference ":prod".'],
      ['#1', 'No key in artifact reference "#1".'],
    ]
    for (const [text, message] of malformed) {
      it(`refuses ${JSON.stringify(text)} as malformed (exit ${EXIT.usage})`, () => {
        const error = errorOf(() => parseArtifactRef(text)) as UserError
        expect(error).to.be.instanceOf(UserError)
        expect(error.message).to.equal(message)
        expect(error.hint).to.equal(EXAMPLES)
        expect(error.exitCode).to.equal(EXIT.usage)
      })
    }

    it('quotes a very long reference cut short, and says a key is too long as that', () => {
      const long = 'a'.repeat(5000)
      for (const text of [`k@${long}`, `k:${'t'.repeat(5000)}@zz`, `store://things/p/${long}`, `k#${'x'.repeat(5000)}`]) {
        const error = errorOf(() => parseArtifactRef(text))
        expect(error).to.be.instanceOf(UserError)
        expect(error.message.length, error.message.slice(0, 200)).to.be.below(400)
      }
      const key = errorOf(() => validateKey('k'.repeat(300)))
      expect(key.message).to.match(/^Invalid artifact key "k{80}"\.\.\.: at most 255 characters, not 300\.$/)
    })

    it('formats what it parses back to the same text', () => {
      for (const text of ['data', 'data:prod', 'data@1a2b', 'data#2:prod@ABCD12', 'store://datasets/proj/group/data#2:prod@abcd12', 'store://models/p/m:v4']) {
        expect(formatArtifactRef(parseArtifactRef(text))).to.equal(text)
      }
    })

    it('pins a version to its run, or to its number when no run logged it', () => {
      expect(versionUri('p', {kind: 'dataset', key: 'd', iter: 0, producer: 'abc', version: 3})).to.equal('store://datasets/p/d@abc')
      expect(versionUri('p', {kind: 'model', key: 'm', iter: 2, producer: 'abc', version: 3})).to.equal('store://models/p/m#2@abc')
      expect(versionUri('p', {kind: 'plot', key: 'roc', iter: 0, producer: null, version: 3})).to.equal('store://artifacts/p/roc:v3')
      expect(isStoreUri('store://artifacts/p/roc:v3')).to.equal(true)
      expect(isStoreUri('roc:v3')).to.equal(false)
    })
  })

  describe('RUN/OUTPUT', () => {
    it('parses a uid prefix of 4 to 32 hex digits and an output key', () => {
      expect(parseRunOutputRef('1a2b/model')).to.deep.equal({run: '1a2b', output: 'model'})
      expect(parseRunOutputRef('0123456789abcdef0123456789abcdef/group/key')).to.deep.equal({run: '0123456789abcdef0123456789abcdef', output: 'group/key'})
      expect(formatRunOutputRef({run: '1a2b', output: 'model'})).to.equal('1a2b/model')
    })

    it('leaves anything else alone (a path, a key with a group, a URI)', () => {
      for (const text of ['abc/model', '1a2b/', 'data/train.csv', 'ABCD/model', '0123456789abcdef0123456789abcdef0/x', 'store://datasets/p/1a2b/x', 'file://1a2b/x']) {
        expect(parseRunOutputRef(text), text).to.equal(null)
      }
    })

    it('resolves to the run\'s pinned URI, says what the run has when the output is not an artifact (exit 4), and is null for no run', async () => {
      const t = await tempProject('refs')
      try {
        const store = t.project.store
        const uid = 'abcd'.repeat(8)
        const now = Date.now()
        store.runs.create({
          uid, name: 'r', project: 'refs', kind: 'node', function: 'h.ts', handler: null, state: 'running', labels: {}, params: {}, inputs: {},
          declaredOutputs: [], outputs: {}, results: {}, error: null, exitCode: null, signal: null, pid: process.pid, host: 'h', codeHash: null,
          workflowId: null, step: null, secrets: [], created: now, started: now, ended: null,
        })
        const uri = 'store://models/refs/model@' + uid
        store.runs.finish(uid, {state: 'completed', results: {n: 3}, outputs: {model: uri, n: 3}, labels: {}, error: null, exitCode: 0, signal: null, ended: now, warnings: []})
        expect(runOutputUri(store, 'abcd/model')).to.equal(uri)
        const error = errorOf(() => runOutputUri(store, 'abcdabcd/n'))
        expect(error).to.be.instanceOf(NotFoundError)
        expect(error.message).to.equal('Run abcdabcd has no artifact output "n". Its artifact outputs: model.')
        expect((error as NotFoundError).exitCode).to.equal(EXIT.notFound)
        expect(runOutputUri(store, 'ffff/model'), 'no such run: a key with a / in it').to.equal(null)
        expect(runOutputUri(store, 'group/key')).to.equal(null)
      } finally {
        t.cleanup()
      }
    })
  })

  describe('hub references', () => {
    it('parses hub://NAME[:VERSION] and NAME[:VERSION]', () => {
      expect(parseHubRef('hub://auto_trainer')).to.deep.equal({name: 'auto_trainer', version: undefined})
      expect(parseHubRef('hub://auto-trainer:1.0.0')).to.deep.equal({name: 'auto-trainer', version: '1.0.0'})
      expect(parseHubRef('describe:10.2.0')).to.deep.equal({name: 'describe', version: '10.2.0'})
      expect(isHubRef('hub://x')).to.equal(true)
      expect(isHubRef('x.ts')).to.equal(false)
      expect(toHubRef('x:1.0.0')).to.equal('hub://x:1.0.0')
      expect(toHubRef('hub://x')).to.equal('hub://x')
      expect(formatHubRef({name: 'x', version: '1.2.3'})).to.equal('hub://x:1.2.3')
      expect(formatHubRef({name: 'x'})).to.equal('hub://x')
    })

    const malformed: [string, string, string][] = [
      ['hub://', 'Not a hub function reference: "hub://"', 'Use hub://NAME or hub://NAME:VERSION, e.g. hub://auto_trainer:1.0.0'],
      ['hub://1abc', 'Not a hub function reference: "hub://1abc"', 'Use hub://NAME or hub://NAME:VERSION, e.g. hub://auto_trainer:1.0.0'],
      ['hub://a/b', 'Not a hub function reference: "hub://a/b"', 'Use hub://NAME or hub://NAME:VERSION, e.g. hub://auto_trainer:1.0.0'],
      ['hub://a:1:2', 'Not a hub function reference: "hub://a:1:2"', 'Use hub://NAME or hub://NAME:VERSION, e.g. hub://auto_trainer:1.0.0'],
      ['hub://a:latest', 'Not a version: "latest" in "hub://a:latest"', 'Hub versions are x.y.z, e.g. hub://auto_trainer:1.0.0'],
      ['hub://a:1.02.0', 'Not a version: "1.02.0" in "hub://a:1.02.0"', 'Hub versions are x.y.z, e.g. hub://auto_trainer:1.0.0'],
    ]
    for (const [text, message, hint] of malformed) {
      it(`refuses ${JSON.stringify(text)} (exit ${EXIT.usage})`, () => {
        const error = errorOf(() => parseHubRef(text)) as UserError
        expect(error).to.be.instanceOf(UserError)
        expect(error.message).to.equal(message)
        expect(error.hint).to.equal(hint)
        expect(error.exitCode).to.equal(EXIT.usage)
      })
    }
  })

  describe('function references', () => {
    it('splits FILE#HANDLER at the last #, and formats it back', () => {
      expect(parseFunctionRef('train.ts#fit')).to.deep.equal({target: 'train.ts', handler: 'fit'})
      expect(parseFunctionRef('train.ts')).to.deep.equal({target: 'train.ts', handler: null})
      expect(parseFunctionRef('a#b.ts#fit')).to.deep.equal({target: 'a#b.ts', handler: 'fit'})
      expect(parseFunctionRef('train.ts#')).to.deep.equal({target: 'train.ts', handler: null})
      expect(parseFunctionRef('#fit'), 'a leading # is part of the name').to.deep.equal({target: '#fit', handler: null})
      expect(formatFunctionRef({target: '/p/train.ts', handler: 'fit'})).to.equal('/p/train.ts#fit')
      expect(formatFunctionRef({target: '/p/train.ts', handler: null})).to.equal('/p/train.ts')
    })
  })

  describe('run and workflow ids', () => {
    it('takes 1 to 32 hex digits, lower-cased and trimmed; anything else is not an id', () => {
      expect(parseIdPrefix(' 1A2B ')).to.equal('1a2b')
      expect(parseIdPrefix('f'.repeat(32))).to.equal('f'.repeat(32))
      for (const text of ['', 'xyz', 'f'.repeat(33), '1a2b/model']) expect(parseIdPrefix(text), text).to.equal(null)
    })
  })
})
