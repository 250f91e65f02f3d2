// ROC curve of a binary classifier, with the chance diagonal and the AUC in the legend.

import {axes, legend, line, PALETTE, svgDocument} from './svg.ts'

export function rocCurveSvg(fpr: number[], tpr: number[], auc: number): string {
  const frame = {left: 80, top: 50, width: 400, height: 400}
  const {body, px, py} = axes(frame, {min: 0, max: 1, label: 'False positive rate'}, {min: 0, max: 1, label: 'True positive rate'})
  const path = fpr.map((f, i) => `${i === 0 ? 'M' : 'L'}${px(f).toFixed(2)},${py(tpr[i] as number).toFixed(2)}`).join(' ')
  body.push(
    line(px(0), py(0), px(1), py(1), '#999', 'stroke-dasharray="4 3"'),
    `<path d="${path}" fill="none" stroke="${PALETTE[0]}" stroke-width="2.5"/>`,
    ...legend(frame.left + frame.width - 170, frame.top + frame.height - 60, [
      {label: `ROC (AUC = ${Number.isFinite(auc) ? auc.toFixed(3) : 'n/a'})`, color: PALETTE[0] as string},
      {label: 'chance', color: '#999', dashed: true},
    ]),
  )
  return svgDocument(frame.left + frame.width + 30, frame.top + frame.height + 60, 'ROC curve', body)
}
