import pl from 'nodejs-polars'
const df = pl.readCSV('/work/shared/data/breast_cancer.csv')
const cols = df.columns
let t = performance.now()
for (const c of cols) { const x = pl.col(c).cast(pl.Float64); df.select(x.mean().alias('m'), x.std().alias('s'), x.min().alias('mi'), x.max().alias('ma'), x.quantile(0.25,'linear').alias('q')).toRecords() }
console.log('per-col select', performance.now() - t)
t = performance.now()
for (const c of cols) { const s = df.getColumn(c); s.mean(); s.min(); s.max(); s.quantile(0.25); s.quantile(0.5); s.quantile(0.75); s.nullCount(); s.nUnique() }
console.log('series ops', performance.now() - t)
t = performance.now()
const exprs = cols.map((c,i) => pl.col(c).mean().alias(`${i}`))
df.select(...exprs); console.log('one select means', performance.now() - t)
t = performance.now()
df.lazy().select(...exprs).collectSync({commSubexprElim: false} as any); console.log('lazy nocse', performance.now() - t)
t = performance.now()
const d = df.describe(); console.log('describe', performance.now() - t, d.columns.length)
t = performance.now()
for (let i = 0; i < 30; i++) for (let j = i+1; j < 31; j++) df.select(pl.pearsonCorr(cols[i]!, cols[j]!).alias('r'))
console.log('pair selects', performance.now() - t)
t = performance.now()
const z = df.select(...cols.map(c => ((pl.col(c).cast(pl.Float64).sub(pl.col(c).mean())).div(pl.col(c).std())).alias(c)))
console.log('standardize', performance.now() - t)
