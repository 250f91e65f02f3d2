// What lode takes from @oclif/core, bundled into dist/vendor/oclif.cjs by scripts/build.mjs. Importing these
// modules directly skips the package index, which loads every other part of oclif (and checks Node's version
// with semver) before any command can start.
import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

export {Command} from '@oclif/core/command'
export {run} from '@oclif/core/run'
export {flush} from '@oclif/core/flush'
export {handle} from '@oclif/core/handle'
export {Args, Flags}
