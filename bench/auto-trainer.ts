// hub://auto_trainer `train` on breast cancer through the real `lode run`, against the same scikit-learn work as a
// plain Python script (target: at most 1.5x). Run: node bench/auto-trainer.ts [--runs N]   (after npm run build)
//
// Both read the same CSV, split it 80/20 with the same seed, fit a 100-tree RandomForestClassifier, score it (accuracy,
// f1, precision, recall, ROC AUC), compute what the plots show (confusion matrix, ROC curve, calibration bins,
// feature importances), pickle the model to a file and write the test set as CSV. lode also records the run,
// stores the model, the test set (as parquet, with statistics) and the plots, and commits them.
// The Python is LODE_PYTHON, else /usr/bin/python3 (it needs scikit-learn and pandas; the bench is skipped without).
import {spawnSync} from 'node:child_process'
import {copyFileSync, mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {BIN, ROOT, report, timeInterleaved, tmp} from './lib.ts'

const TARGET = '<= 1.5x'
const runsFlag = process.argv.indexOf('--runs')
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5
const PYTHON = process.env.LODE_PYTHON ?? '/usr/bin/python3'

const BASELINE = `
import json, pickle, sys
import numpy as np
import pandas as pd
from sklearn import metrics as m
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

data, out = sys.argv[1], sys.argv[2]
df = pd.read_csv(data)
x, y = df.drop(columns=['label']), df['label']
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=0)
model = RandomForestClassifier(random_state=0)
model.fit(x_train, y_train)
y_pred = model.predict(x_test)
proba = model.predict_proba(x_test)[:, 1]
results = {
    'accuracy': m.accuracy_score(y_test, y_pred), 'f1': m.f1_score(y_test, y_pred), 'precision': m.precision_score(y_test, y_pred),
    'recall': m.recall_score(y_test, y_pred), 'auc': m.roc_auc_score(y_test, proba),
}
plots = {
    'confusion': m.confusion_matrix(y_test, y_pred).tolist(),
    'roc': [a.tolist() for a in m.roc_curve(y_test, proba)[:2]],
    'calibration': np.bincount(np.searchsorted(np.linspace(0, 1, 11)[1:-1], proba), minlength=10).tolist(),
    'importance': sorted(zip(x.columns, model.feature_importances_.tolist()), key=lambda p: -p[1]),
}
with open(out + '/model.pkl', 'wb') as f:
    pickle.dump(model, f)
x_test.assign(label=y_test).to_csv(out + '/test_set.csv', index=False)
with open(out + '/results.json', 'w') as f:
    json.dump({'results': results, 'plots': plots}, f)
`

const probe = spawnSync(PYTHON, ['-c', 'import sklearn, pandas'], {stdio: 'ignore'})
if (probe.status !== 0) {
  console.log(`auto_trainer: skipped, ${PYTHON} cannot import scikit-learn and pandas (set LODE_PYTHON to a Python that can)`)
} else {
  const dir = tmp('lode-bench-auto-trainer-')
  try {
    process.env.LODE_PYTHON = PYTHON
    process.env.LODE_CACHE_DIR = join(dir, '.cache')
    const project = join(dir, 'project')
    const out = join(dir, 'plain')
    mkdirSync(project)
    mkdirSync(out)
    copyFileSync(join(ROOT, 'function-hub', 'load_dataset', 'data', 'breast_cancer.csv'), join(project, 'breast_cancer.csv'))
    writeFileSync(join(dir, 'baseline.py'), BASELINE)
    const init = spawnSync(process.execPath, [BIN, 'init', '--name', 'bench'], {cwd: project, encoding: 'utf8'})
    if (init.status !== 0) throw new Error(`lode init failed: ${init.stderr}`)
    const [lode, plain] = timeInterleaved([
      {cmd: process.execPath, cwd: project, args: [BIN, 'run', 'hub://auto_trainer', '--handler', 'train', '-i', 'dataset=breast_cancer.csv',
        '-p', 'model_class=sklearn.ensemble.RandomForestClassifier', '-p', 'label_columns=label', '-p', 'random_state=0', '-p', 'CLASS_random_state=0', '-o', 'model']},
      {cmd: PYTHON, cwd: project, args: [join(dir, 'baseline.py'), 'breast_cancer.csv', out]},
    ], {runs: RUNS, warmup: 1})
    report('auto_trainer train (breast cancer, 100 trees)', lode!, plain!, TARGET)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
