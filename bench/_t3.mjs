import module from 'node:module'
module.enableCompileCache?.()
const oclif = await import('#oclif')
const t=performance.now()
const config = await oclif.Config.load(new URL('../bin/run.js', import.meta.url).href)
console.log(performance.now()-t)
