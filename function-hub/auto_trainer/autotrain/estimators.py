"""model_class: any importable estimator class by its path, built with the CLASS_ params and fitted with FIT_ ones."""
from __future__ import annotations

import difflib
import importlib
import inspect
from typing import Any, Dict, List, Optional

from lode.deps import require

from .errors import AutoTrainerError

# Libraries whose estimators follow scikit-learn's API, and how to get them.
_INSTALL = {
    'sklearn': 'apt-get install python3-sklearn, or pip install scikit-learn',
    'xgboost': 'apt-get install python3-xgboost, or pip install xgboost',
    'lightgbm': 'pip install lightgbm',
    'catboost': 'pip install catboost',
}
EXAMPLE = 'sklearn.ensemble.RandomForestClassifier'


def params_with_prefix(params: Dict[str, Any], *prefixes: str) -> Dict[str, Any]:
    """The params named PREFIX<name>, as {name: value} (MLRun's CLASS_, FIT_, TRAIN_, PREDICT_)."""
    found: Dict[str, Any] = {}
    for key, value in params.items():
        for prefix in prefixes:
            if key.startswith(prefix) and len(key) > len(prefix):
                found[key[len(prefix):]] = value
    return found


def resolve_model_class(model_class: Any) -> type:
    """The class model_class names: a dotted path (module.Class), or a scikit-learn estimator's short name."""
    require('sklearn', 'hub://auto_trainer')
    path = str(model_class or '').strip()
    if not path:
        raise AutoTrainerError(f'model_class is required: the path of an estimator class, e.g. -p model_class={EXAMPLE}')
    if '.' not in path:
        return _short_name(path)
    module_name, _, class_name = path.rpartition('.')
    if module_name == 'lode':
        raise AutoTrainerError(f'model_class {path!r} names one of lode\'s TypeScript learners, which hub://auto_trainer_ts trains: '
                               f'lode run hub://auto_trainer_ts -p model_class={class_name} ...')
    module = _import(module_name, path)
    found = getattr(module, class_name, None)
    if found is None:
        names = [n for n in dir(module) if inspect.isclass(getattr(module, n, None)) and not n.startswith('_')]
        raise AutoTrainerError(f'unknown model_class {path!r}: module {module_name} has no {class_name!r}.{_did_you_mean(class_name, names)}')
    _check_estimator(path, found)
    return found


def build(cls: type, path: str, class_params: Dict[str, Any]) -> Any:
    """An instance made with the CLASS_ params; a param the class does not take is named with what it takes."""
    accepted = _init_params(cls)
    if accepted is not None:
        unknown = [k for k in class_params if k not in accepted]
        if unknown:
            first = unknown[0]
            raise AutoTrainerError(f'{cls.__name__} has no parameter {first!r} (CLASS_{first}).{_did_you_mean(first, accepted, "CLASS_")} '
                                   f'Its parameters: {", ".join(accepted) or "none"}.')
    try:
        return cls(**class_params)
    except (TypeError, ValueError) as err:
        raise AutoTrainerError(f'{path}({_call_args(class_params)}) failed: {err}') from None


def fit(model: Any, path: str, x: Any, y: Any, fit_params: Dict[str, Any]) -> None:
    """model.fit(x, y, **FIT_ params). scikit-learn checks params and data when fitting: what it refuses (a param out
    of range, text in a feature column, NaN, a continuous label for a classifier) is the user's to fix."""
    try:
        model.fit(x, y, **fit_params)
    except (TypeError, ValueError) as err:
        extra = f' (FIT_ params: {_call_args(fit_params)})' if fit_params else ''
        raise AutoTrainerError(f'{path}.fit failed{extra}: {err}') from None


def framework_of(model: Any) -> str:
    """The library an estimator comes from: sklearn, xgboost, lightgbm..."""
    return (type(model).__module__ or '').split('.')[0]


def framework_version(framework: str) -> str:
    module = importlib.import_module(framework) if framework else None
    return str(getattr(module, '__version__', '')) if module is not None else ''


def _import(module_name: str, path: str) -> Any:
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        missing = (err.name or module_name).split('.')[0]
        if missing in _INSTALL and missing != 'sklearn':
            import sys

            raise AutoTrainerError(f'model_class {path!r} needs {missing}, which this Python ({sys.executable}) cannot import. '
                                   f'Install it ({_INSTALL[missing]}), or run with a Python that has it: '
                                   '--python /path/to/python3 (or LODE_PYTHON).') from None
        raise AutoTrainerError(f'unknown model_class {path!r}: there is no module {err.name or module_name!r}. '
                               f'Give the path of an importable class, e.g. {EXAMPLE}.') from None
    except ImportError as err:
        raise AutoTrainerError(f'model_class {path!r}: importing {module_name} failed: {err}') from None


def _short_name(name: str) -> type:
    from sklearn.utils import all_estimators

    estimators = dict(all_estimators())
    found = estimators.get(name) or next((c for n, c in estimators.items() if n.lower() == name.lower()), None)
    if found is None:
        raise AutoTrainerError(f'unknown model_class {name!r}: no scikit-learn estimator has that name.{_did_you_mean(name, list(estimators))} '
                               f'Give the class path, e.g. {EXAMPLE} or xgboost.XGBClassifier.')
    return found


def _check_estimator(path: str, found: Any) -> None:
    if not inspect.isclass(found):
        what = 'a module' if inspect.ismodule(found) else 'a function' if callable(found) else f'a {type(found).__name__}'
        raise AutoTrainerError(f'model_class {path!r} is {what}, not an estimator class. Give a class with fit and predict, e.g. {EXAMPLE}.')
    missing = [m for m in ('fit', 'predict') if not callable(getattr(found, m, None))]
    if missing:
        raise AutoTrainerError(f'model_class {path!r} is not an estimator: it has no {" or ".join(missing)} method. '
                               f'Give a class with fit and predict, e.g. {EXAMPLE}.')


def _init_params(cls: type) -> Optional[List[str]]:
    """The constructor's named parameters; None when it takes **kwargs (anything may be right)."""
    try:
        signature = inspect.signature(cls.__init__)
    except (TypeError, ValueError):
        return None
    names = []
    for p in list(signature.parameters.values())[1:]:
        if p.kind is p.VAR_KEYWORD:
            return None
        if p.kind is not p.VAR_POSITIONAL:
            names.append(p.name)
    return names


def _did_you_mean(name: str, options: List[str], prefix: str = '') -> str:
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return f' Did you mean {prefix}{close[0]}?' if close else ''


def _call_args(params: Dict[str, Any]) -> str:
    return ', '.join(f'{k}={v!r}' for k, v in params.items())
