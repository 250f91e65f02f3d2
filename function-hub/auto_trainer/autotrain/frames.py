"""Datasets as auto_trainer reads them: columns to drop, label columns, features, and the train/test split."""
from __future__ import annotations

import json
from typing import Any, List, Optional, Tuple

from .errors import AutoTrainerError


def column_list(value: Any, param: str) -> List[str]:
    """A list of column names from a list, a name, a comma-separated string or a JSON list ("[\"a\", \"b\"]")."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith('['):
            try:
                value = json.loads(text)
            except ValueError:
                raise AutoTrainerError(f'{param} {value!r} is not a JSON list; give a name, a comma-separated list or a JSON list') from None
        else:
            return [part.strip() for part in text.split(',') if part.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    raise AutoTrainerError(f'{param} must be a column name or a list of them, got {value!r}')


def read_frame(item: Any, what: str, drop: List[str], strict: bool) -> Any:
    """The input as a pandas frame without the dropped columns. strict: a dropped column must exist (train);
    otherwise columns already absent are skipped (a test set logged without them)."""
    if item is None:
        raise AutoTrainerError(f'input {what} is required: -i {what}=PATH or a store:// address')
    df = item.as_df()
    absent = [c for c in drop if c not in df.columns]
    if strict and absent:
        raise AutoTrainerError(f'drop_columns: {what} has no column {_names(absent)}; its columns: {_names(list(df.columns))}')
    present = [c for c in drop if c in df.columns]
    return df.drop(columns=present) if present else df


def split_features(df: Any, labels: List[str], what: str, features: Optional[List[str]] = None) -> Tuple[Any, Any]:
    """(x, y): the feature columns (the given ones, else every column but the labels) and the labels (a Series for
    one label column, a frame for several)."""
    missing = [c for c in labels if c not in df.columns]
    if missing:
        raise AutoTrainerError(f'label_columns: {what} has no column {_names(missing)}; its columns: {_names(list(df.columns))}')
    if features is None:
        features = [c for c in df.columns if c not in labels]
    else:
        absent = [c for c in features if c not in df.columns]
        if absent:
            raise AutoTrainerError(f'{what} lacks feature column {_names(absent)} that the model was trained on')
    x = df[features]
    text = [c for c, t in x.dtypes.items() if t.kind not in 'biuf']
    if text:
        raise AutoTrainerError(f'feature column {_names(text)} of {what} is not numeric: drop it (-p drop_columns={text[0]}) '
                               'or encode it as numbers first')
    if not features:
        raise AutoTrainerError(f'{what} has no feature columns left beside the label column(s) {_names(labels)}')
    y = (df[labels[0]] if len(labels) == 1 else df[labels]) if labels else None
    return x, y


def train_test(x: Any, y: Any, size: Any, random_state: Any) -> Tuple[Any, Any, Any, Any]:
    """scikit-learn's train_test_split (not stratified, as MLRun's auto_trainer splits)."""
    from sklearn.model_selection import train_test_split

    try:
        return train_test_split(x, y, test_size=size, random_state=random_state)
    except (TypeError, ValueError) as err:
        raise AutoTrainerError(f'train_test_split_size={size!r}, random_state={random_state!r}: {err}') from None


def _names(columns: List[Any]) -> str:
    shown = ', '.join(repr(str(c)) for c in columns[:20])
    return shown + (f' ... ({len(columns)} in all)' if len(columns) > 20 else '')
