import pl from 'nodejs-polars'
const df = pl.readCSV('/work/shared/data/breast_cancer.csv')
const cols = df.columns
const pairs: pl.Expr[] = []
for (let i = 0; i < 30; i++) for (let j = i+1; j < 31; j++) pairs.push(pl.pearsonCorr(pl.col(cols[i]!).cast(pl.Float64), pl.col(cols[j]!).cast(pl.Float64)).alias(`${i}:${j}`))
for (const opts of [{}, {commSubexprElim: false}, {commSubexprElim: false, commSubplanElim: false, projectionPushdown: false, predicatePushdown: false, simplifyExpression: false}]) {
  const t = performance.now()
  const r = df.lazy().select(...pairs).collectSync(opts as any).toRecords()[0]
  console.log(JSON.stringify(opts), performance.now() - t, Object.keys(r!).length, r!['0:2'])
}
