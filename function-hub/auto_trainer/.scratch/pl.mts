import pl from 'nodejs-polars'
const df = pl.readCSV('/work/shared/data/iris.csv')
console.log(df.columns, df.dtypes.map(String), df.height)
console.log(typeof (df as any).gather, typeof (df as any).take, typeof (df as any).sample)
const s = df.getColumn('label')
console.log(s.dtype.toString(), String(s.dtype), s.dtype.equals(pl.Int64), s.isNumeric())
const idx = [3,1,2]
const sub = (df as any).gather ? (df as any).gather(idx) : null
console.log(sub?.height, sub?.getColumn('label').toArray())
console.log(s.valueCounts(true).toRecords())
console.log(df.select(pl.pearsonCorr('sepal_length_cm','petal_length_cm').alias('x')).toRecords())
console.log(s.std(), s.quantile(0.25), pl.Series('a',[1,null,3]).toArray())
const st = pl.Series('s',['a','b',null]); console.log(st.nullCount(), String(st.dtype), st.isNumeric())
console.log(pl.DataFrame({a:[1,2],b:['x','y']}).dtypes.map(String))
console.log(pl.Series('x', [1,2,3], pl.Int64).dtype.toString())
