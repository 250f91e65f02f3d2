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

__all__ = ['apply_mlrun']

FRAMEWORK = 'sklearn'
TEST_SET_KEY = 'test_set'
MAX_BARS = 30


def apply_mlrun(model: Any = None, model_name: str = 'model', x_test: Any = None, y_test: Any = None,
                context: Optional[MLClientCtx] = None, tag: str = '', **kwargs: Any) -> Any:
    """Wrap model.fit so each fit logs, to the run's context:
    - the model (pickled, framework sklearn, algorithm = its class, parameters = get_params()) as `model_name`;
    - with x_test and y_test: metrics as results and model metrics (classifiers: accuracy, f1, precision, recall,
      auc; regressors: mae, rmse, r2), the test set as dataset `test_set`, and plots confusion-matrix and
      roc-curve (binary classifiers);
    - feature-importance, where the model has feature_importances_ or coef_.
    Options: labels, parameters (added to the model's), extra_data, auto_log=False (log only the model).
    Returns the model.
    """
    require('sklearn', 'apply_mlrun')
    if model is None or not hasattr(model, 'fit'):
        raise TypeError(f'apply_mlrun: model must be a scikit-learn estimator, got {type(model).__name__}')
    logger = _AutoLogger(model, model_name, x_test, y_test, context or get_or_create_ctx(), kwargs)
    model.__dict__['fit'] = _FitHook(model, type(model).fit, logger)
    return model


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

    def log(self, x_train: Any, y_train: Any) -> None:
        from sklearn.base import is_classifier, is_regressor

        model, context = self.model, self.context
        metrics: Dict[str, float] = {}
        auto_log = self.options.get('auto_log', True)
        names = _feature_names(model, x_train if x_train is not None else self.x_test)
        have_test = self.x_test is not None and self.y_test is not None
        if auto_log and have_test:
            if is_classifier(model):
                metrics, y_pred, proba, classes = classifier_metrics(model, self.x_test, self.y_test)
                self._plot_classifier(y_pred, proba, classes)
            elif is_regressor(model):
                metrics = regressor_metrics(model, self.x_test, self.y_test)
            context.log_results(metrics)
            self._log_test_set(names)
        elif auto_log:
            context.logger.info('apply_mlrun: no x_test and y_test given, so no metrics, test set or plots')
        if auto_log:
            self._plot_feature_importance(names)
        self._log_model(metrics, names, x_train, y_train)

    def _log_model(self, metrics: Dict[str, float], names: Optional[List[str]], x: Any, y: Any) -> None:
        model = self.model
        parameters = dict(model.get_params())
        parameters.update(self.options.get('parameters') or {})
        hook = model.__dict__.pop('fit', None)  # the pickle holds the model alone
        try:
            body = pickle.dumps(model)
        finally:
            if hook is not None:
                model.__dict__['fit'] = hook
        labels = {'framework': FRAMEWORK}
        labels.update(self.options.get('labels') or {})
        self.context.log_model(
            self.model_name, body=body, model_file=f'{self.model_name}.pkl', framework=FRAMEWORK,
            algorithm=type(final_estimator(model)).__name__ if type(model).__name__ == 'Pipeline' else type(model).__name__,
            metrics=metrics, parameters=parameters, extra_data=self.options.get('extra_data'), labels=labels,
            inputs=_columns(x, names), outputs=_outputs(y if y is not None else self.y_test))

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
        self.context.log_plot('confusion-matrix', body=confusion_matrix_svg([str(c) for c in classes], matrix))
        if proba is not None and len(classes) == 2:
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
