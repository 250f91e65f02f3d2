"""Evaluate a fitted scikit-learn model on a test set: metrics, and what the plots need."""
from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Tuple


def final_estimator(model: Any) -> Any:
    """The last step of a Pipeline, else the model."""
    steps = getattr(model, 'steps', None)
    return steps[-1][1] if steps else model


def classifier_metrics(model: Any, x: Any, y: Any) -> Tuple[Dict[str, float], Any, Any, List[Any]]:
    """accuracy, f1, precision, recall (binary, or macro averages over several classes) and auc where the model
    has predict_proba. Returns the metrics, the predictions, the probabilities (or None) and the classes."""
    import numpy as np
    from sklearn import metrics as m

    y_pred = model.predict(x)
    classes = list(getattr(model, 'classes_', None) if getattr(model, 'classes_', None) is not None else np.unique(y))
    binary = len(classes) == 2
    averaging: Dict[str, Any] = {'average': 'binary', 'pos_label': classes[1]} if binary else {'average': 'macro'}
    result = {
        'accuracy': float(m.accuracy_score(y, y_pred)),
        'f1': float(m.f1_score(y, y_pred, zero_division=0, **averaging)),
        'precision': float(m.precision_score(y, y_pred, zero_division=0, **averaging)),
        'recall': float(m.recall_score(y, y_pred, zero_division=0, **averaging)),
    }
    proba = None
    if hasattr(model, 'predict_proba'):
        try:
            proba = model.predict_proba(x)
            auc = m.roc_auc_score(y, proba[:, 1]) if binary else \
                m.roc_auc_score(y, proba, multi_class='ovr', average='macro', labels=classes)
            if math.isfinite(auc):
                result['auc'] = float(auc)
        except (ValueError, AttributeError):  # one class in y_test, or no probabilities for this configuration
            pass
    return result, y_pred, proba, classes


def regressor_metrics(model: Any, x: Any, y: Any) -> Dict[str, float]:
    from sklearn import metrics as m

    y_pred = model.predict(x)
    return {
        'mae': float(m.mean_absolute_error(y, y_pred)),
        'rmse': float(math.sqrt(m.mean_squared_error(y, y_pred))),
        'r2': float(m.r2_score(y, y_pred)),
    }


def feature_importance(model: Any, names: Optional[List[str]]) -> Optional[Tuple[List[str], List[float]]]:
    """Feature names and importances (feature_importances_, or the magnitude of coef_), largest first."""
    import numpy as np

    estimator = final_estimator(model)
    values = getattr(estimator, 'feature_importances_', None)
    if values is None and getattr(estimator, 'coef_', None) is not None:
        coef = np.abs(np.asarray(estimator.coef_, dtype=float))
        values = coef.mean(axis=0) if coef.ndim == 2 else coef
    if values is None:
        return None
    values = [float(v) for v in np.ravel(values)]
    if not names or len(names) != len(values):
        names = [f'x{i}' for i in range(len(values))]
    ranked = sorted(zip(names, values), key=lambda pair: -abs(pair[1]))
    return [str(n) for n, _ in ranked], [v for _, v in ranked]
