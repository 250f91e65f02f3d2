// The lode library: the SDK handlers import, and the API scripts and workflows use.
export {Context} from './lib/sdk/context.ts'
export type {ArtifactSource, DatasetFormat, LogModelOptions, Logger} from './lib/sdk/context.ts'
export {DataItem} from './lib/sdk/data-item.ts'
export type * from './lib/types.ts'
export {LodeError, UserError, NotFoundError, IntegrityError} from './lib/errors.ts'
export {Project} from './lib/project/project.ts'
export type {RunOptions, RunHandle, HyperParamOptions} from './lib/project/project.ts'
export type {WorkflowProject, WorkflowStepOptions} from './lib/workflow/run-module.ts'
