"""Auto-logging for scikit-learn, MLRun's apply_mlrun: after `fit`, log the model, its metrics, the test set and plots.

    from lode.frameworks.sklearn import apply_mlrun
    apply_mlrun(model, model_name='cancer', x_test=X_test, y_test=y_test)
    model.fit(X_train, y_train)    # logs model 'cancer', results accuracy/f1/..., dataset test_set, plots
"""
from __future__ import annotations

import pickle
from typing import Any, Dict, List, Optional

from ... import get_or_create_ctx
from ...context import MLClientCtx
from ...deps import optional, require
from .metrics import classifier_metrics, feature_importance, final_estimator, regressor_metrics
from .svg_plots import bar_chart_svg, confusion_matrix_svg, roc_curve_svg

__all__ = ['ModelHandler', 'apply_mlrun']

FRAMEWORK = 'sklearn'
TEST_SET_KEY = 'test_set'
MAX_BARS = 30


def apply_mlrun(model: Any = None, model_name: str = 'model', tag: str = '', model_path: Optional[str] = None,
                modules_map: Any = None, custom_objects_map: Any = None, custom_objects_directory: Optional[str] = None,
                context: Optional[MLClientCtx] = None, artifacts: Any = None, metrics: Any = None, x_test: Any = None,
                y_test: Any = None, sample_set: Any = None, y_columns: Optional[List[Any]] = None,
                feature_vector: Optional[str] = None, feature_weights: Optional[List[float]] = None,
                labels: Optional[Dict[str, Any]] = None, parameters: Optional[Dict[str, Any]] = None,
                extra_data: Optional[Dict[str, Any]] = None, auto_log: bool = True, **kwargs: Any) -> 'ModelHandler':
    """Wrap model.fit so each fit logs, to the run's context:
    - the model (pickled, framework sklearn, algorithm = its class, parameters = get_params()) as `model_name`, with
      `tag`, `labels`, `parameters`, `extra_data`, `feature_vector`, `feature_weights`, and its inputs and outputs
      from `sample_set` (else the training set) and `y_columns`;
    - with x_test and y_test: metrics as results and model metrics (classifiers: accuracy, f1, precision, recall,
      auc; regressors: mae, rmse, r2; plus `metrics`: names of sklearn.metrics functions or callables(y_true,
      y_pred)), the test set as dataset `test_set`, and plots (`artifacts`: confusion-matrix, roc-curve,
      feature-importance, test_set; by MLRun's plan names too). auto_log=False: only what metrics/artifacts name.
    With model_path (a model's store:// address) and no model, the model is loaded from it; a predict on x_test then
    logs the metrics and logs the model again with them (MLRun's evaluation).
    Returns a model handler (.model, .model_name, .tag, .model_path); it also reads as the model itself.
    """
    require('sklearn', 'apply_mlrun')
    for name, value in (('modules_map', modules_map), ('custom_objects_map', custom_objects_map),
                        ('custom_objects_directory', custom_objects_directory)):
        if value is not None:
            raise ValueError(f'apply_mlrun: {name}= is not used by lode: a model is pickled and loaded with its modules '
                             'imported as Python imports them; leave it out')
    context = context or get_or_create_ctx()
    source = None
    if model is None:
        if not model_path:
            raise TypeError('apply_mlrun: give model= (a scikit-learn estimator) or model_path= (a model\'s address)')
        model, source = _load(context, model_path)
    if not hasattr(model, 'fit'):
        raise TypeError(f'apply_mlrun: model must be a scikit-learn estimator, got {type(model).__name__}')
    options = dict(kwargs, tag=tag, labels=labels, parameters=parameters, extra_data=extra_data,
                   feature_vector=feature_vector, feature_weights=feature_weights, auto_log=auto_log,
                   plans=_plans(artifacts, auto_log), metrics=_metric_functions(metrics), y_columns=y_columns,
                   sample_set=sample_set.as_df() if hasattr(sample_set, 'as_df') else sample_set)
    logger = _AutoLogger(model, model_name, x_test, y_test, context, options)
    model.__dict__['fit'] = _FitHook(model, type(model).fit, logger)
    if source is not None:
        logger.source = source
        for method in ('predict', 'predict_proba'):
            if hasattr(model, method):
                model.__dict__[method] = _PredictHook(model, getattr(type(model), method), logger)
    return ModelHandler(model, model_name, tag, model_path, context, logger)


class ModelHandler:
    """What apply_mlrun returns (MLRun's SKLearnModelHandler): the model, its name, tag and address once logged.
    Attributes it lacks are the model's, so code that took apply_mlrun's return value as the model still runs."""

    def __init__(self, model: Any, model_name: str, tag: str, model_path: Optional[str], context: MLClientCtx,
                 logger: '_AutoLogger') -> None:
        self.model = model
        self.model_name = model_name
        self.tag = tag
        self._model_path = model_path
        self.context = context
        self._logger = logger

    @property
    def model_path(self) -> Optional[str]:
        logged = self._logger.logged
        return logged.uri if logged is not None else self._model_path

    @property
    def model_artifact(self) -> Any:
        return self._logger.logged

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__['model'], name)


_PLANS = {'confusionmatrixplan': 'confusion-matrix', 'confusion_matrix': 'confusion-matrix',
          'confusion-matrix': 'confusion-matrix', 'roccurveplan': 'roc-curve', 'roc_curve': 'roc-curve',
          'roc-curve': 'roc-curve', 'featureimportanceplan': 'feature-importance',
          'feature_importance': 'feature-importance', 'feature-importance': 'feature-importance',
          'datasetplan': 'test_set', 'dataset': 'test_set', 'test_set': 'test_set'}
_DEFAULT_PLANS = ('confusion-matrix', 'roc-curve', 'feature-importance', 'test_set')


def _plans(artifacts: Any, auto_log: bool) -> set:
    chosen = set(_DEFAULT_PLANS) if auto_log else set()
    names = list(artifacts.keys()) if isinstance(artifacts, dict) else list(artifacts or [])
    for plan in names:
        name = plan if isinstance(plan, str) else type(plan).__name__
        found = _PLANS.get(name.lower())
        if found is None:
            raise ValueError(f'apply_mlrun: artifacts: {name!r} is not a plot lode makes; it makes confusion-matrix '
                             '(ConfusionMatrixPlan), roc-curve (ROCCurvePlan), feature-importance '
                             '(FeatureImportancePlan) and test_set (DatasetPlan)')
        chosen.add(found)
    return chosen


def _metric_functions(metrics: Any) -> Dict[str, Any]:
    """name -> function(y_true, y_pred), from names of sklearn.metrics functions, callables, or a dict of either."""
    from sklearn import metrics as m

    items = list(metrics.items()) if isinstance(metrics, dict) else [(None, v) for v in (metrics or [])]
    found: Dict[str, Any] = {}
    for name, metric in items:
        function = getattr(m, metric, None) if isinstance(metric, str) else metric
        if not callable(function):
            raise ValueError(f'apply_mlrun: metrics: {metric!r} is not a function of sklearn.metrics nor a callable')
        found[name or (metric if isinstance(metric, str) else getattr(function, '__name__', 'metric'))] = function
    return found


def _load(context: MLClientCtx, model_path: str) -> Any:
    import os

    item = context.get_dataitem(model_path)
    spec = item.meta
    if spec is None or getattr(spec, 'kind', '') != 'model' or not spec.model_file:
        raise ValueError(f'apply_mlrun: model_path {model_path!r} is not a model artifact with a model file')
    with open(os.path.join(item.local(), spec.model_file), 'rb') as f:
        return pickle.load(f), item


class _PredictHook:
    """Stands in for predict/predict_proba of a model loaded from model_path: the first call on x_test evaluates."""

    def __init__(self, model: Any, method: Any, logger: '_AutoLogger') -> None:
        self.model = model
        self.method = method
        self.logger = logger

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        result = self.method(self.model, *args, **kwargs)
        self.logger.evaluate()
        return result

    def __reduce__(self) -> Any:
        return (getattr, (self.model, self.method.__name__))


class _FitHook:
    """Stands in for model.fit. Pickling the model stores the plain fit method in its place."""

    def __init__(self, model: Any, fit: Any, logger: '_AutoLogger') -> None:
        self.model = model
        self.fit = fit
        self.logger = logger

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        fitted = self.fit(self.model, *args, **kwargs)
        x = args[0] if args else kwargs.get('X')
        y = args[1] if len(args) > 1 else kwargs.get('y')
        self.logger.log(x, y)
        return fitted

    def __reduce__(self) -> Any:
        return (getattr, (self.model, 'fit'))


class _AutoLogger:
    def __init__(self, model: Any, model_name: str, x_test: Any, y_test: Any, context: MLClientCtx,
                 options: Dict[str, Any]) -> None:
        self.model = model
        self.model_name = model_name or 'model'
        self.x_test = x_test
        self.y_test = y_test
        self.context = context
        self.options = options
        self.plans = options.get('plans') or set()
        self.logged: Any = None  # the model artifact, once logged
        self.source: Any = None  # the model's DataItem when it came from model_path (evaluation)
        self._evaluated = False

    def _test_metrics(self) -> Dict[str, float]:
        """The default metrics (with auto_log) and the ones asked for, on x_test/y_test; plots as planned."""
        from sklearn.base import is_classifier, is_regressor

        model = self.model
        metrics: Dict[str, float] = {}
        y_pred = None
        if is_classifier(model):
            metrics, y_pred, proba, classes = classifier_metrics(model, self.x_test, self.y_test)
            self._plot_classifier(y_pred, proba, classes)
        elif is_regressor(model):
            metrics = regressor_metrics(model, self.x_test, self.y_test)
        if not self.options.get('auto_log', True):
            metrics = {}
        chosen = self.options.get('metrics') or {}
        if chosen:
            y_pred = y_pred if y_pred is not None else _unhooked(model, 'predict')(self.x_test)
            for name, function in chosen.items():
                metrics[name] = float(function(self.y_test, y_pred))
        return metrics

    def log(self, x_train: Any, y_train: Any) -> None:
        context = self.context
        metrics: Dict[str, float] = {}
        names = _feature_names(self.model, x_train if x_train is not None else self.x_test)
        if self.x_test is not None and self.y_test is not None:
            metrics = self._test_metrics()
            context.log_results(metrics)
            if 'test_set' in self.plans:
                self._log_test_set(names)
        elif self.options.get('auto_log', True):
            context.logger.info('apply_mlrun: no x_test and y_test given, so no metrics, test set or plots')
        if 'feature-importance' in self.plans:
            self._plot_feature_importance(names)
        self._log_model(metrics, names, x_train, y_train)

    def evaluate(self) -> None:
        """A model from model_path predicted: log the metrics on x_test and log the model again with them."""
        if self._evaluated or self.x_test is None or self.y_test is None:
            return
        self._evaluated = True
        metrics = self._test_metrics()
        self.context.log_results(metrics)
        self.logged = self.context.update_model(self.source, metrics=metrics)

    def _log_model(self, metrics: Dict[str, float], names: Optional[List[str]], x: Any, y: Any) -> None:
        model = self.model
        parameters = dict(model.get_params())
        parameters.update(self.options.get('parameters') or {})
        hooks = {k: model.__dict__.pop(k) for k in ('fit', 'predict', 'predict_proba') if k in model.__dict__}
        try:
            body = pickle.dumps(model)  # the pickle holds the model alone
        finally:
            model.__dict__.update(hooks)
        labels = {'framework': FRAMEWORK}
        labels.update(self.options.get('labels') or {})
        inputs, outputs = _columns(x, names), _outputs(y if y is not None else self.y_test)
        sample, y_columns = self.options.get('sample_set'), self.options.get('y_columns')
        if sample is not None and hasattr(sample, 'columns'):
            label_cols = [c for c in (y_columns or []) if c in sample.columns]
            inputs = _columns(sample.drop(columns=label_cols), None)
            outputs = _columns(sample[label_cols], None) if label_cols else outputs
        elif y_columns:
            outputs = [{'name': str(c), 'dtype': (outputs or [{}])[0].get('dtype', '')} for c in y_columns]
        self.logged = self.context.log_model(
            self.model_name, body=body, model_file=f'{self.model_name}.pkl', framework=FRAMEWORK,
            algorithm=type(final_estimator(model)).__name__ if type(model).__name__ == 'Pipeline' else type(model).__name__,
            metrics=metrics, parameters=parameters, extra_data=self.options.get('extra_data'), labels=labels,
            inputs=inputs, outputs=outputs, tag=self.options.get('tag') or '',
            feature_vector=self.options.get('feature_vector'), feature_weights=self.options.get('feature_weights'))

    def _log_test_set(self, names: Optional[List[str]]) -> None:
        pd = optional('pandas')
        if pd is None:
            self.context.logger.info('apply_mlrun: pandas is not installed, so the test set is not logged')
            return
        frame = self.x_test.copy() if isinstance(self.x_test, pd.DataFrame) else pd.DataFrame(self.x_test, columns=names)
        frame = frame.reset_index(drop=True)
        y = self.y_test
        if isinstance(y, pd.DataFrame):
            for column in y.columns:
                frame[column] = y[column].to_numpy()
        else:
            name = getattr(y, 'name', None) or 'label'
            frame[str(name)] = y.to_numpy() if hasattr(y, 'to_numpy') else list(y)
        self.context.log_dataset(TEST_SET_KEY, frame)

    def _plot_classifier(self, y_pred: Any, proba: Any, classes: List[Any]) -> None:
        from sklearn import metrics as m

        matrix = m.confusion_matrix(self.y_test, y_pred, labels=classes).tolist()
        if 'confusion-matrix' in self.plans:
            self.context.log_plot('confusion-matrix', body=confusion_matrix_svg([str(c) for c in classes], matrix))
        if proba is not None and len(classes) == 2 and 'roc-curve' in self.plans:
            try:
                fpr, tpr, _ = m.roc_curve(self.y_test, proba[:, 1], pos_label=classes[1])
                auc = m.auc(fpr, tpr)
            except ValueError as err:  # a single class in y_test
                self.context.logger.info(f'apply_mlrun: no ROC curve: {err}')
                return
            self.context.log_plot('roc-curve', body=roc_curve_svg(fpr.tolist(), tpr.tolist(), float(auc)))

    def _plot_feature_importance(self, names: Optional[List[str]]) -> None:
        ranked = feature_importance(self.model, names)
        if ranked is None:
            return
        top_names, top_values = ranked[0][:MAX_BARS], ranked[1][:MAX_BARS]
        self.context.log_plot('feature-importance', body=bar_chart_svg('Feature importance', top_names, top_values))


def _unhooked(model: Any, method: str) -> Any:
    """The model's own method, not a hook apply_mlrun put in its place."""
    return getattr(type(model), method).__get__(model)


def _feature_names(model: Any, x: Any) -> Optional[List[str]]:
    names = getattr(model, 'feature_names_in_', None)
    if names is None:
        names = getattr(final_estimator(model), 'feature_names_in_', None)
    if names is None and hasattr(x, 'columns'):
        names = x.columns
    if names is None and x is not None and hasattr(x, 'shape') and len(x.shape) == 2:
        return [f'x{i}' for i in range(x.shape[1])]
    return [str(n) for n in names] if names is not None else None


def _columns(x: Any, names: Optional[List[str]]) -> Optional[List[Dict[str, str]]]:
    if hasattr(x, 'dtypes') and hasattr(x, 'columns'):
        return [{'name': str(c), 'dtype': str(t)} for c, t in x.dtypes.items()]
    if names is not None:
        dtype = str(getattr(x, 'dtype', ''))
        return [{'name': n, 'dtype': dtype} for n in names]
    return None


def _outputs(y: Any) -> Optional[List[Dict[str, str]]]:
    if y is None:
        return None
    if hasattr(y, 'dtypes') and hasattr(y, 'columns'):
        return [{'name': str(c), 'dtype': str(t)} for c, t in y.dtypes.items()]
    return [{'name': str(getattr(y, 'name', None) or 'label'), 'dtype': str(getattr(y, 'dtype', ''))}]
