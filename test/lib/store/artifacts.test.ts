import {expect} from 'chai'
import type {Store} from '../../../src/lib/store/store.ts'
import {NotFoundError, UserError} from '../../../src/lib/errors.ts'
import {parseArtifactRef} from '../../../src/lib/uri/refs.ts'
import {eachTempStore} from '../../helpers/project.ts'

function version(store: Store, key: string, producer: string, sha = 'a'.repeat(64)) {
  return store.db.tx(() => store.artifacts.insert({key, kind: 'dataset', iter: 0, sha256: sha, size: 1, format: 'csv', producer, labels: {}, meta: null, objects: [sha]}))
}

describe('store/artifacts', () => {
  const t = eachTempStore('proj')

  it('numbers versions per key and moves latest to the newest', () => {
    version(t.store, 'data', 'aaaa1111')
    version(t.store, 'data', 'bbbb2222')
    const latest = t.store.artifacts.resolve({key: 'data'})
    expect(latest.version).to.equal(2)
    expect(latest.tags).to.deep.equal(['latest'])
    expect(latest.uri).to.equal('store://datasets/proj/data@bbbb2222')
    expect(t.store.artifacts.resolve({key: 'data', tag: 'v1'}).producer).to.equal('aaaa1111')
    expect(t.store.artifacts.resolve({key: 'data', producer: 'aaaa'}).version).to.equal(1)
  })

  it('never gives a version number again, even after its version is removed', () => {
    version(t.store, 'data', 'aaaa1111')
    version(t.store, 'data', 'bbbb2222')
    t.store.db.tx(() => t.store.artifacts.deleteVersions([t.store.artifacts.resolve({key: 'data', tag: 'v2'}).id]))
    expect(version(t.store, 'data', 'cccc3333')).to.be.a('number')
    expect(t.store.artifacts.resolve({key: 'data'}).version).to.equal(3)
    expect(() => t.store.artifacts.resolve({key: 'data', tag: 'v2'})).to.throw(NotFoundError)
    t.store.db.tx(() => t.store.artifacts.deleteVersions(t.store.artifacts.list({glob: 'data', allVersions: true}).map((v) => v.id)))
    version(t.store, 'data', 'dddd4444')
    expect(t.store.artifacts.resolve({key: 'data'}).version).to.equal(4)
    version(t.store, 'other', 'eeee5555')
    expect(t.store.artifacts.resolve({key: 'other'}).version).to.equal(1)
  })

  it('adds and moves user tags, and protects the reserved ones', () => {
    version(t.store, 'm', 'aaaa1111')
    version(t.store, 'm', 'bbbb2222')
    const v1 = t.store.artifacts.resolve({key: 'm', tag: 'v1'})
    t.store.artifacts.setTag(v1, 'prod')
    expect(t.store.artifacts.resolve({key: 'm', tag: 'prod'}).version).to.equal(1)
    t.store.artifacts.setTag(t.store.artifacts.resolve({key: 'm'}), 'prod')
    expect(t.store.artifacts.resolve({key: 'm', tag: 'prod'}).version).to.equal(2)
    expect(() => t.store.artifacts.setTag(v1, 'latest')).to.throw(UserError)
    expect(() => t.store.artifacts.setTag(v1, 'v9')).to.throw(UserError)
    expect(() => t.store.artifacts.removeTag('m', 'latest')).to.throw(UserError, /cannot be set or removed/)
    expect(t.store.artifacts.resolve({key: 'm'}).version).to.equal(2)
    expect(t.store.artifacts.list({tag: 'v1', glob: 'm'}).map((v) => v.version)).to.deep.equal([1])
  })

  it('says clearly when a key or tag is unknown', () => {
    version(t.store, 'data', 'aaaa1111')
    expect(() => t.store.artifacts.resolve({key: 'nope'})).to.throw(NotFoundError, /No artifact with key "nope"/)
    expect(() => t.store.artifacts.resolve({key: 'data', tag: 'gold'})).to.throw(NotFoundError, /no version tagged "gold"/)
  })

  it('validates keys', () => {
    for (const bad of ['../x', 'a//b', 'a/../b', 'white space', '', 'a:b']) {
      expect(() => version(t.store, bad, 'aaaa1111'), bad).to.throw(UserError, /Invalid artifact key/)
    }
    version(t.store, 'plots/roc-curve.v2_final', 'aaaa1111')
  })

  it('lists only the latest version of each key unless asked for all', () => {
    version(t.store, 'a', 'aaaa1111')
    version(t.store, 'a', 'bbbb2222')
    version(t.store, 'b', 'bbbb2222')
    expect(t.store.artifacts.list().map((v) => `${v.key}:${v.version}`)).to.deep.equal(['b:1', 'a:2'])
    expect(t.store.artifacts.list({allVersions: true})).to.have.length(3)
    expect(t.store.artifacts.list({glob: 'a*', allVersions: true})).to.have.length(2)
    expect(t.store.artifacts.list({producer: 'aaaa', allVersions: true})).to.have.length(1)
  })
})

describe('uri/refs: artifact references', () => {
  it('parses full URIs and short forms', () => {
    expect(parseArtifactRef('store://datasets/proj/group/data#2:prod@ABCD12')).to.deep.equal({category: 'datasets', project: 'proj', key: 'group/data', iter: 2, tag: 'prod', producer: 'ABCD12'})
    expect(parseArtifactRef('model:prod')).to.deep.equal({key: 'model', tag: 'prod'})
    expect(parseArtifactRef('model@1a2b')).to.deep.equal({key: 'model', producer: '1a2b'})
    expect(parseArtifactRef('data.v2.csv')).to.deep.equal({key: 'data.v2.csv'})
  })

  it('rejects malformed URIs with a message naming the problem', () => {
    expect(() => parseArtifactRef('store://things/p/k')).to.throw(UserError, /Unknown store URI category "things"/)
    expect(() => parseArtifactRef('store://datasets/k')).to.throw(UserError, /Malformed store URI/)
    expect(() => parseArtifactRef('store:/models/proj/model')).to.throw(UserError, /Malformed store URI/)
    expect(parseArtifactRef('store:v2')).to.include({key: 'store', tag: 'v2'})
    expect(() => parseArtifactRef('key@not-hex!')).to.throw(UserError, /Malformed run uid/)
    expect(() => parseArtifactRef('key#x')).to.throw(UserError, /Malformed iteration/)
    expect(() => parseArtifactRef(':tag')).to.throw(UserError, /No key/)
  })
})
