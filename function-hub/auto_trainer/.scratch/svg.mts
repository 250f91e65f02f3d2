import {writeFileSync} from 'node:fs'
import {train} from '../auto_trainer.ts'
import {RecordingContext, fileItem} from '../test/recording-context.ts'
import {dataPath} from '../test/data.ts'
const ctx = new RecordingContext()
await train(ctx, {dataset: fileItem(dataPath('iris')), model_class: 'RandomForestClassifier', label_columns: 'label'})
for (const [k, v] of ctx.plots) writeFileSync(`/tmp/iris-${k}.svg`, v)
const c2 = new RecordingContext()
await train(c2, {dataset: fileItem(dataPath('breast_cancer')), model_class: 'LogisticRegression', label_columns: 'label'})
for (const [k, v] of c2.plots) writeFileSync(`/tmp/bc-${k}.svg`, v)
