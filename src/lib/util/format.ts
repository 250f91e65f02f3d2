// Text for the terminal outside the live views: the views' formatters, under the names commands use.
import {formatAge, formatDuration, humanBytes} from '../views/format.ts'
import {formatTable as layoutTable} from '../views/table.ts'

export {humanBytes as humanSize, formatDuration as humanDuration}

export function formatTable(headers: string[], rows: string[][]): string {
  return layoutTable([headers, ...rows]).join('\n')
}

/** "5m ago" for an age in milliseconds. */
export function humanAge(ms: number): string {
  return formatAge(0, ms)
}

/** "90s", "15m", "2h", "7d", "1w" -> milliseconds */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d|w)$/.exec(text.trim())
  if (!m) return null
  const unit = {s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5}[m[2] as 's']
  return Number(m[1]) * unit
}
