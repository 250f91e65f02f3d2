import type {WorkflowStepState, WorkflowViewModel} from './workflow-model.ts'

/** "1 cached, 2 done, 1 failed", in the order states first appear among the steps. */
export function countSteps(model: WorkflowViewModel): string {
  const counts = new Map<WorkflowStepState, number>()
  for (const step of model.steps) counts.set(step.state, (counts.get(step.state) ?? 0) + 1)
  return [...counts].map(([state, count]) => `${count} ${state}`).join(', ')
}
