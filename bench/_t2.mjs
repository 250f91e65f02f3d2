import module from 'node:module'
module.enableCompileCache?.()
const oclif = await import('#oclif')
