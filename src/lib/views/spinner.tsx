import {Text, useAnimation} from 'ink'

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

/** A braille spinner driven by ink's shared animation timer; it stops ticking when inactive. */
export function Spinner({active = true, color = 'cyan'}: {active?: boolean; color?: string}) {
  const {frame} = useAnimation({interval: 80, isActive: active})
  return <Text color={color}>{FRAMES[frame % FRAMES.length]}</Text>
}

/** Re-renders its parent every `intervalMs` while active, and hands back the current time. */
export function useNow(active: boolean, intervalMs = 250, fixed?: number): number {
  useAnimation({interval: intervalMs, isActive: active && fixed === undefined})
  return fixed ?? Date.now()
}
