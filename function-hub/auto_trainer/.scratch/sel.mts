import pl from 'nodejs-polars'
const df = pl.readCSV('/work/shared/data/breast_cancer.csv')
let t = performance.now(); df.select(...df.columns); console.log('select strings', performance.now() - t)
t = performance.now(); df.drop(['mean_radius', 'label']); console.log('drop', performance.now() - t)
