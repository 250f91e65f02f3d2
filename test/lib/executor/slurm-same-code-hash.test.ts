// A workflow run on Slurm must reuse (and match) the records of the same workflow run elsewhere: a function's code
// hash says what its code is, not where the project lies.
import {expect} from 'chai'
import {tempProject} from '../../helpers/project.ts'

describe('executor/resolve-function: the code hash of a project file', () => {
  it('is the same for the same files in two project folders, .sh scripts too', async () => {
    const [a, b] = [await tempProject('same'), await tempProject('same')]
    try {
      for (const t of [a, b]) {
        t.write('step.sh', 'echo hi\n')
        t.write('step.ts', 'export function handler() {}\n')
      }
      for (const file of ['step.sh', 'step.ts']) {
        const [x, y] = [await a.project.resolveFunction(file), await b.project.resolveFunction(file)]
        expect(x.codeHash, file).to.equal(y.codeHash)
      }
      b.write('step.sh', 'echo changed\n')
      expect((await b.project.resolveFunction('step.sh')).codeHash).to.not.equal((await a.project.resolveFunction('step.sh')).codeHash)
    } finally {
      a.cleanup()
      b.cleanup()
    }
  })
})
