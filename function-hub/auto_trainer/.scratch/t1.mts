import pl from 'nodejs-polars'
import {trainModel} from '../ml/training.ts'
const bc = pl.readCSV('/work/shared/data/breast_cancer.csv')
const iris = pl.readCSV('/work/shared/data/iris.csv')
for (const [cls, df, label, extra] of [
  ['RandomForestClassifier', bc, 'label', {}], ['DecisionTreeClassifier', bc, 'label', {}], ['LogisticRegression', bc, 'label', {}],
  ['KNeighborsClassifier', bc, 'label', {}], ['GaussianNB', bc, 'label', {}],
  ['RandomForestClassifier', iris, 'label', {}], ['LogisticRegression', iris, 'label', {}], ['GaussianNB', iris, 'label', {}], ['KNeighborsClassifier', iris, 'label', {}], ['DecisionTreeClassifier', iris, 'label', {}],
  ['RandomForestRegressor', bc, 'mean_area', {}], ['DecisionTreeRegressor', bc, 'mean_area', {}], ['LinearRegression', bc, 'mean_area', {}], ['KNeighborsRegressor', bc, 'mean_area', {}],
] as const) {
  const t = performance.now()
  const out = trainModel(df, {modelClass: cls, label, dropColumns: [], testSize: 0.2, randomState: 42, classParams: extra})
  console.log(cls, label, (performance.now() - t).toFixed(0) + 'ms', JSON.stringify(out.test.metrics), out.split.test.length)
}
