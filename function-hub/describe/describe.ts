// Hub function describe: statistics of every column as a data set, and plots of the distributions.

import type {Context, DataItem} from './lode-types.ts'
import {classCounts, correlationMatrix, histogram, numericColumns, summarize} from './stats.ts'
import {classBalanceSvg} from './plots/class-balance.ts'
import {correlationSvg} from './plots/correlation.ts'
import {histogramsSvg} from './plots/histograms.ts'

/** Plots stay readable: at most this many numeric columns are drawn. */
const MAX_PLOTTED_COLUMNS = 48

export interface DescribeArgs {
  dataset?: DataItem
  label_column?: string
}

export async function describe(ctx: Context, args: DescribeArgs): Promise<{rows: number; columns: number}> {
  if (!args.dataset || typeof args.dataset !== 'object') throw new Error('input "dataset" is required (-i dataset=...)')
  const label = args.label_column ?? 'label'
  const df = await args.dataset.asDf()
  // The summary is itself statistics: statistics of it say nothing more. Its preview shows every column.
  const summary = summarize(df)
  await ctx.logDataset('summary', summary, {stats: false, preview: summary.height})
  const numeric = numericColumns(df)
  const plotted = numeric.slice(0, MAX_PLOTTED_COLUMNS)
  if (numeric.length > plotted.length) ctx.logger.warn(`plotting the first ${plotted.length} of ${numeric.length} numeric columns`)
  if (plotted.length > 0) {
    await ctx.logPlot('histograms', {body: histogramsSvg(plotted.map((name) => ({name, ...histogram(df.getColumn(name))})))}, {format: 'svg'})
  }
  if (plotted.length > 1) await ctx.logPlot('correlation', {body: correlationSvg(plotted, correlationMatrix(df, plotted))}, {format: 'svg'})
  if (df.columns.includes(label)) {
    await ctx.logPlot('class-balance', {body: classBalanceSvg(label, classCounts(df, label))}, {format: 'svg'})
  } else if (args.label_column !== undefined) {
    ctx.logger.warn(`no column "${label}": no class-balance plot`)
  }
  return {rows: df.height, columns: df.width}
}
