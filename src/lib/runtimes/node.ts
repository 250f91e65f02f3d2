import {fileURLToPath} from 'node:url'
import type {LaunchPlan} from './plan.ts'

// The runner is always the built one (dist/), whether lode itself runs from dist/ or from src/ under tests.
const runner = fileURLToPath(new URL('../../../dist/lib/runtimes/node/runner.js', import.meta.url))

export function planNode(): LaunchPlan {
  return {command: process.execPath, args: ['--disable-warning=ExperimentalWarning', runner], env: {}}
}
