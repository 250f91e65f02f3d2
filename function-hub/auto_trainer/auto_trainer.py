"""Hub function auto_trainer: train, evaluate and predict with any scikit-learn style estimator, as MLRun's
hub://auto_trainer does. model_class is the estimator's import path; CLASS_* params go to its constructor, FIT_*
(and TRAIN_*) to fit, PREDICT_* to predict."""
from __future__ import annotations

import pickle
from typing import Any, Dict

from lode import DataItem, MLClientCtx

from autotrain import estimators, frames, models, scoring
from autotrain.errors import AutoTrainerError


def train(context: MLClientCtx, dataset: DataItem, model_class: Any = None, label_columns: Any = None,
          drop_columns: Any = None, model_name: str = 'model', tag: str = '', sample_set: DataItem = None,
          test_set: DataItem = None, train_test_split_size: Any = None, random_state: Any = None) -> None:
    """Fit model_class on the dataset (all columns but the labels and the dropped ones are features), score it on
    the test set (test_set, else a train_test_split_size share of the rows held out), and log the model `model`, its
    metrics as results, the dataset `test_set` and the plots."""
    cls = estimators.resolve_model_class(model_class)
    path = f'{cls.__module__}.{cls.__name__}' if '.' not in str(model_class) else str(model_class).strip()
    labels = frames.column_list(label_columns, 'label_columns')
    if not labels:
        raise AutoTrainerError('label_columns is required: the column the model learns to predict, e.g. -p label_columns=label')
    drop = frames.column_list(drop_columns, 'drop_columns')
    params = context.parameters
    model = estimators.build(cls, path, estimators.params_with_prefix(params, 'CLASS_'))
    df = frames.read_frame(dataset, 'dataset', drop, strict=True)
    x, y = frames.split_features(df, labels, 'dataset')
    if test_set is not None:
        if train_test_split_size is not None:
            context.logger.info('test_set given: train_test_split_size is not used')
        x_train, y_train = x, y
        x_test, y_test = frames.split_features(frames.read_frame(test_set, 'test_set', drop, strict=False), labels, 'test_set', list(x.columns))
    else:
        size = 0.2 if train_test_split_size is None else train_test_split_size
        x_train, x_test, y_train, y_test = frames.train_test(x, y, size, random_state)
    context.logger.info(f'training {path}', rows=len(x_train), features=x_train.shape[1], test_rows=len(x_test))
    estimators.fit(model, path, x_train, y_train, estimators.params_with_prefix(params, 'FIT_', 'TRAIN_'))

    metrics, plots = scoring.score(model, x_test, y_test, {})
    context.log_results(metrics)
    framework = estimators.framework_of(model)
    extra = {'sample_set': frames.read_frame(sample_set, 'sample_set', drop, strict=False)} if sample_set is not None else None
    model_labels: Dict[str, str] = {'framework': framework, 'framework_version': estimators.framework_version(framework),
                                    'algorithm': cls.__name__, 'model_class': path, 'model_name': model_name,
                                    'task': scoring.task_of(model)}
    if tag:
        model_labels['tag'] = tag
    # The key is `model`, as MLRun's pipelines read it (train.outputs["model"]); model_name names the file and the label.
    context.log_model('model', body=pickle.dumps(model), model_file=f'{model_name}.pkl', framework=framework,
                      algorithm=cls.__name__, metrics=metrics, parameters=model.get_params(deep=False),
                      extra_data=extra, labels=model_labels, inputs=x_train, outputs=y_train)
    context.log_dataset('test_set', _joined(x_test, y_test))
    for key, svg in plots:
        context.log_plot(key, body=svg)
    context.logger.info(f'trained {cls.__name__}', **metrics)


def evaluate(context: MLClientCtx, model: DataItem, dataset: DataItem, label_columns: Any = None,
             drop_columns: Any = None) -> None:
    """Score a model logged by train on labelled rows: the same metrics as results and the same plots."""
    fitted, spec = models.load_model(model)
    labels = frames.column_list(label_columns, 'label_columns') or models.label_names(spec)
    if not labels:
        raise AutoTrainerError('label_columns is required: the model does not record its label column')
    df = frames.read_frame(dataset, 'dataset', frames.column_list(drop_columns, 'drop_columns'), strict=False)
    x, y = frames.split_features(df, labels, 'dataset', models.feature_names(fitted, spec))
    predict_params = estimators.params_with_prefix(context.parameters, 'PREDICT_')
    try:
        metrics, plots = scoring.score(fitted, x, y, predict_params)
    except (TypeError, ValueError) as err:
        raise AutoTrainerError(f'scoring the model failed{_given(predict_params)}: {err}') from None
    context.log_results(metrics)
    for key, svg in plots:
        context.log_plot(key, body=svg)


def predict(context: MLClientCtx, model: DataItem, dataset: DataItem, label_columns: Any = None,
            drop_columns: Any = None, result_set: str = 'prediction') -> None:
    """Predict with a model logged by train: log the dataset `result_set` (default `prediction`), the rows with the
    predicted column(s) added, named as label_columns (or the model's labels), `predicted_<name>` where the rows
    already hold that column."""
    import numpy as np

    fitted, spec = models.load_model(model)
    df = frames.read_frame(dataset, 'dataset', frames.column_list(drop_columns, 'drop_columns'), strict=False)
    names = frames.column_list(label_columns, 'label_columns') or models.label_names(spec) or ['predicted_label']
    features = models.feature_names(fitted, spec) or [c for c in df.columns if c not in names]
    x, _ = frames.split_features(df, [], 'dataset', features)
    predict_params = estimators.params_with_prefix(context.parameters, 'PREDICT_')
    try:
        predicted = fitted.predict(x, **predict_params)
    except (TypeError, ValueError) as err:
        raise AutoTrainerError(f'predict failed{_given(predict_params)}: {err}') from None
    columns = np.asarray(predicted).reshape(len(df), -1)
    if columns.shape[1] != len(names):
        names = [f'predicted_label_{i + 1}' for i in range(columns.shape[1])] if columns.shape[1] > 1 else ['predicted_label']
    result = df.copy()
    for i, name in enumerate(names):
        result[f'predicted_{name}' if name in df.columns else name] = columns[:, i]
    context.log_dataset(result_set, result)


def _joined(x: Any, y: Any) -> Any:
    frame = x.reset_index(drop=True)
    labels = y.to_frame() if getattr(y, 'ndim', 2) == 1 else y
    return frame.join(labels.reset_index(drop=True))


def _given(predict_params: Dict[str, Any]) -> str:
    return f' (PREDICT_ params: {", ".join(f"{k}={v!r}" for k, v in predict_params.items())})' if predict_params else ''
