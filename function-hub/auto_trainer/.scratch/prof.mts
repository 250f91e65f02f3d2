import pl from 'nodejs-polars'
import {summarize, correlationMatrix, numericColumns, histogram} from '../../describe/stats.ts'
import {correlationSvg} from '../../describe/plots/correlation.ts'
const df = pl.readCSV('/work/shared/data/breast_cancer.csv')
let t = performance.now(); summarize(df); console.log('summary', performance.now() - t)
t = performance.now(); const m = correlationMatrix(df, numericColumns(df)); console.log('corr', performance.now() - t)
t = performance.now(); numericColumns(df).map(c => histogram(df.getColumn(c))); console.log('hist', performance.now() - t)
t = performance.now(); correlationSvg(numericColumns(df), m); console.log('corrsvg', performance.now() - t)
