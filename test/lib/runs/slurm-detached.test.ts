import {expect} from 'chai'
import {hostname} from 'node:os'
import {UserError} from '../../../src/lib/errors.ts'
import {attachRun} from '../../../src/lib/runs/attach.ts'
import {displayState} from '../../../src/lib/runs/liveness.ts'
import {tempProject} from '../../helpers/project.ts'
import {addRun} from '../../helpers/runs.ts'

// a pid no process has: the lode that submitted the job is gone
const GONE = 2 ** 22 + 12345

describe('cluster job runs without their lode (no cluster needed)', () => {
  let t: Awaited<ReturnType<typeof tempProject>>
  beforeEach(async () => (t = await tempProject()))
  afterEach(() => t.cleanup())

  function live(o: {pid: number; job: boolean}): string {
    const uid = addRun(t.project.store, {state: 'running', pid: o.pid})
    t.project.store.db.tx(() => t.project.store.db.run('UPDATE runs SET host = ? WHERE uid = ?', hostname(), uid))
    if (o.job) t.project.store.runs.setJob(uid, {runtime: 'slurm', id: '42'}, 'running')
    return uid
  }

  it('a job run whose lode is gone shows as detached; a local one as stale', () => {
    const job = t.project.store.runs.get(live({pid: GONE, job: true}))!
    const local = t.project.store.runs.get(live({pid: GONE, job: false}))!
    expect(job.job).to.deep.equal({runtime: 'slurm', id: '42'})
    expect(displayState(job)).to.equal('detached')
    expect(displayState(local)).to.equal('stale')
    expect(t.project.store.runs.liveJobs().map((r) => r.uid)).to.deep.equal([job.uid])
  })

  it('a job seen running is never set back to queued by a poll answered before it started (an array task held back by its limit)', () => {
    const uid = addRun(t.project.store, {state: 'queued', pid: process.pid})
    const runs = t.project.store.runs
    runs.setJob(uid, {runtime: 'slurm', id: '7_2', reason: 'JobArrayTaskLimit'}, 'queued')
    runs.setJob(uid, {runtime: 'slurm', id: '7_2'}, 'running')
    runs.setJob(uid, {runtime: 'slurm', id: '7_2', reason: 'JobArrayTaskLimit'}, 'queued')
    expect(runs.get(uid)!.state).to.equal('running')
  })

  it('only one process takes over a detached job', () => {
    const uid = live({pid: GONE, job: true})
    expect(t.project.store.runs.claimJob(uid, GONE, hostname())).to.equal(true)
    expect(t.project.store.runs.claimJob(uid, GONE, hostname())).to.equal(false)
    expect(t.project.store.runs.get(uid)!.pid).to.equal(process.pid)
  })

  it('attach refuses a run that runs locally, and one its own lode still follows, saying what to do', async () => {
    const local = live({pid: process.pid, job: false})
    await attachRun(t.project.store, local).then(() => expect.fail('attached'), (e) => {
      expect(e).to.be.instanceOf(UserError)
      expect((e as UserError).message).to.match(/not as a cluster job/)
    })
    // a live lode other than this one (the test's parent process stands in for it)
    const followed = live({pid: process.ppid, job: true})
    t.project.store.db.tx(() => t.project.store.db.run('UPDATE runs SET created = ? WHERE uid = ?', Date.now(), followed))
    await attachRun(t.project.store, followed).then(() => expect.fail('attached'), (e) => {
      expect(e).to.be.instanceOf(UserError)
      expect((e as UserError).message).to.match(/is followed by its lode process/)
    })
  })

  it('attach answers a run already recorded as it is', async () => {
    const uid = addRun(t.project.store, {state: 'completed'})
    expect((await attachRun(t.project.store, uid)).state).to.equal('completed')
  })
})
