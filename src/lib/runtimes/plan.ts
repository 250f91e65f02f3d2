// How to start a handler: the command, its arguments and environment. One plan per runtime kind.
export interface LaunchPlan {
  command: string
  args: string[]
  env: Record<string, string>
}
