// How many lines of each section a live view can show so the whole frame stays shorter than the terminal.
// ink redraws a frame as tall as the terminal from the top of the screen, and what scrolls off can no longer
// be erased, so a live view must never reach the terminal's height.

export interface SectionFit {
  /** lines shown, the newest ones when a section is cut */
  shown: number
  /** lines left out; the section then spends one line saying so */
  hidden: number
}

/**
 * Fits sections of `counts` lines into `available` lines. The last section (the log tail) gives way first,
 * down to one line; then the others, from the last, each keeping one line to say how many it hides.
 */
export function fitSections(counts: number[], available: number): SectionFit[] {
  const fits = counts.map((count) => ({shown: count, hidden: 0}))
  const used = () => fits.reduce((sum, fit) => sum + fit.shown + (fit.hidden > 0 ? 1 : 0), 0)
  let over = used() - Math.max(0, available)
  if (over <= 0) return fits
  const last = fits.at(-1)
  if (last && last.shown > 1) {
    const cut = Math.min(over, last.shown - 1)
    last.shown -= cut
    over -= cut
  }
  for (let index = fits.length - 2; index >= 0 && over > 0; index--) {
    const fit = fits[index]!
    if (fit.shown === 0) continue
    // hiding lines costs one line for the "N more" note
    const cut = Math.min(fit.shown, over + 1)
    fit.shown -= cut
    fit.hidden += cut
    over = used() - available
  }
  if (over > 0 && last) {
    last.shown = Math.max(0, last.shown - over)
  }
  return fits
}
