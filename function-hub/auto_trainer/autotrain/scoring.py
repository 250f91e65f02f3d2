"""Scoring a fitted model on labelled rows: MLRun's metrics as results, and its plots as SVG."""
from __future__ import annotations

import math
from typing import Any, Dict, List, Tuple

from lode.frameworks.sklearn.metrics import classifier_metrics, feature_importance, regressor_metrics
from lode.frameworks.sklearn.svg_plots import bar_chart_svg, confusion_matrix_svg, roc_curve_svg

from .plots import calibration_svg

MAX_BARS = 30
CALIBRATION_BINS = 10

Plot = Tuple[str, str]


def task_of(model: Any) -> str:
    from sklearn.base import is_classifier, is_regressor

    return 'classification' if is_classifier(model) else 'regression' if is_regressor(model) else 'other'


def score(model: Any, x: Any, y: Any, predict_params: Dict[str, Any]) -> Tuple[Dict[str, float], List[Plot]]:
    """Metrics (classifiers: accuracy, f1, precision, recall, auc; regressors: r2, mae, mse, rmse) and the plots
    confusion-matrix, roc-curve and calibration-curve (two classes with probabilities) and feature-importance."""
    plots: List[Plot] = []
    metrics: Dict[str, float] = {}
    task = task_of(model)
    single = y is not None and getattr(y, 'ndim', 1) == 1
    if single and task == 'classification':
        metrics, y_pred, proba, classes = classifier_metrics(_predicting(model, predict_params), x, y)
        plots.extend(_classifier_plots(y, y_pred, proba, classes))
    elif y is not None and task == 'regression':  # several label columns: averaged over them
        metrics = regressor_metrics(_predicting(model, predict_params), x, y)
        metrics = {'r2': metrics['r2'], 'mae': metrics['mae'], 'mse': metrics['rmse'] ** 2, 'rmse': metrics['rmse']}
    ranked = feature_importance(model, [str(c) for c in getattr(x, 'columns', [])])
    if ranked is not None:
        plots.append(('feature-importance', bar_chart_svg('Feature importance', ranked[0][:MAX_BARS], ranked[1][:MAX_BARS])))
    return {k: v for k, v in metrics.items() if math.isfinite(v)}, plots


def _predicting(model: Any, predict_params: Dict[str, Any]) -> Any:
    """The model, with PREDICT_ params passed to its predict calls."""
    if not predict_params:
        return model

    class _WithParams:
        classes_ = getattr(model, 'classes_', None)

        def predict(self, x: Any) -> Any:
            return model.predict(x, **predict_params)

        def predict_proba(self, x: Any) -> Any:
            return model.predict_proba(x)

    return _WithParams()


def _classifier_plots(y: Any, y_pred: Any, proba: Any, classes: List[Any]) -> List[Plot]:
    import numpy as np
    from sklearn import metrics as m

    matrix = m.confusion_matrix(y, y_pred, labels=classes).tolist()
    plots = [('confusion-matrix', confusion_matrix_svg([str(c) for c in classes], matrix))]
    if proba is None or len(classes) != 2 or len(np.unique(y)) != 2:
        return plots
    positive = np.asarray(y) == classes[1]
    fpr, tpr, _ = m.roc_curve(positive, proba[:, 1])
    plots.append(('roc-curve', roc_curve_svg(fpr.tolist(), tpr.tolist(), float(m.auc(fpr, tpr)))))
    predicted, observed = _calibration(positive, proba[:, 1])
    plots.append(('calibration-curve', calibration_svg(predicted, observed)))
    return plots


def _calibration(positive: Any, probability: Any) -> Tuple[List[float], List[float]]:
    """Mean predicted probability and fraction of positives in each of 10 equal-width bins that holds rows
    (sklearn.calibration.calibration_curve's uniform strategy)."""
    import numpy as np

    edges = np.linspace(0.0, 1.0, CALIBRATION_BINS + 1)[1:-1]
    bins = np.searchsorted(edges, probability)
    counts = np.bincount(bins, minlength=CALIBRATION_BINS)
    sums = np.bincount(bins, weights=probability, minlength=CALIBRATION_BINS)
    hits = np.bincount(bins, weights=positive.astype(float), minlength=CALIBRATION_BINS)
    held = counts > 0
    return (sums[held] / counts[held]).tolist(), (hits[held] / counts[held]).tolist()
