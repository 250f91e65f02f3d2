// The view model of a workflow run, built from the events it reports (declared in types.ts).

import type {RunError, RunState, WorkflowEvent, WorkflowStepState} from '../types.ts'
import {initialRunModel, reduceRun, type RunViewModel} from './run-model.ts'

export type {WorkflowEvent, WorkflowRunEvent, WorkflowStateEvent, WorkflowStepEvent, WorkflowStepState} from '../types.ts'

export const SETTLED_STEP_STATES: readonly WorkflowStepState[] = ['cached', 'done', 'failed', 'skipped']

export interface WorkflowStepModel {
  name: string
  state: WorkflowStepState
  run: string | null
  error: string | null
  started: number | null
  durationMs: number | null
  /** the step's run, as far as its events tell (progress, results, log tail) */
  detail: RunViewModel
}

export interface WorkflowViewModel {
  id: string
  name: string | null
  state: RunState
  started: number | null
  ended: number | null
  /** every step, in the order declared or first seen */
  steps: WorkflowStepModel[]
  /** names of settled steps in the order they settled: the view prints them once, above the live ones */
  settled: string[]
  /** what asked the workflow to stop ('Ctrl-C', 'SIGTERM', ...) */
  abortedBy: string | null
}

export function initialWorkflowModel(id = '', stepNames: string[] = [], name: string | null = null): WorkflowViewModel {
  return {id, name, state: 'created', started: null, ended: null, steps: stepNames.map(newStep), settled: [], abortedBy: null}
}

/** Names the workflow and its steps (in their order), keeping whatever events already told about them. */
export function declareWorkflow(model: WorkflowViewModel, id: string, stepNames: string[], name: string | null = null): WorkflowViewModel {
  const known = new Map(model.steps.map((step) => [step.name, step]))
  const declared = stepNames.map((stepName) => known.get(stepName) ?? newStep(stepName))
  const extra = model.steps.filter((step) => !stepNames.includes(step.name))
  return {...model, id, name, steps: [...declared, ...extra]}
}

export function isSettled(state: WorkflowStepState): boolean {
  return SETTLED_STEP_STATES.includes(state)
}

export function reduceWorkflow(model: WorkflowViewModel, event: WorkflowEvent): WorkflowViewModel {
  switch (event.t) {
    case 'wf-state': {
      const next: WorkflowViewModel = {...model, id: model.id || event.workflow, state: event.state}
      if (event.state === 'running' && next.started === null) next.started = event.ts
      if (event.state === 'completed' || event.state === 'error' || event.state === 'aborted') {
        next.ended = event.ts
        next.started ??= event.ts
      }
      return next
    }
    case 'wf-step': {
      const base = {...model, id: model.id || event.workflow, started: model.started ?? event.ts}
      const withStep = updateStep(base, event.step, (step) => ({
        ...step,
        state: event.state,
        run: event.run ?? step.run,
        error: event.error === undefined ? step.error : errorMessage(event.error),
        started: event.state === 'running' ? step.started ?? event.ts : step.started,
        durationMs: event.durationMs ?? (isSettled(event.state) && step.started !== null ? event.ts - step.started : step.durationMs),
      }))
      if (!isSettled(event.state) || withStep.settled.includes(event.step)) return withStep
      return {...withStep, settled: [...withStep.settled, event.step]}
    }
    default:
      return updateStep(model, event.step, (step) => ({
        ...step,
        run: step.run ?? event.run,
        detail: reduceRun(step.detail, event),
      }))
  }
}

export function markWorkflowAborting(model: WorkflowViewModel, by: string): WorkflowViewModel {
  return {...model, abortedBy: by}
}

export function failedSteps(model: WorkflowViewModel): WorkflowStepModel[] {
  return model.steps.filter((step) => step.state === 'failed')
}

function newStep(name: string): WorkflowStepModel {
  return {name, state: 'waiting', run: null, error: null, started: null, durationMs: null, detail: initialRunModel({logLimit: 1})}
}

function updateStep(model: WorkflowViewModel, name: string, change: (step: WorkflowStepModel) => WorkflowStepModel): WorkflowViewModel {
  const index = model.steps.findIndex((step) => step.name === name)
  if (index === -1) return {...model, steps: [...model.steps, change(newStep(name))]}
  // a copy of the list with one step replaced: a workflow of 1,000 steps sees thousands of events
  const steps = model.steps.slice()
  steps[index] = change(steps[index]!)
  return {...model, steps}
}

function errorMessage(error: string | RunError): string {
  return typeof error === 'string' ? error : error.message
}
