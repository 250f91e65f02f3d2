"""Artifact keys and label keys, checked as lode's TypeScript SDK checks them (src/lib/artifacts/keys.ts)."""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any, Dict, Optional

# What a key's groups, a tag and a staged file's name are made of, checked character by character: re (with enum)
# costs a run ~8 ms to import.
NAME_CHARS = frozenset('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-')
_MAX_KEY_LENGTH = 255


def check_artifact_key(key: Any) -> None:
    """Letters, digits, '-', '_', '.', '/' between groups, no '.' or '..' group, at most 255 characters. ASCII only,
    so a key is always its own NFC form. Raises ValueError with the TypeScript SDK's wording."""
    if isinstance(key, str) and len(key) > _MAX_KEY_LENGTH:
        problem = f'at most {_MAX_KEY_LENGTH} characters, not {len(key)}'
    # groups of NAME_CHARS between single '/': re.fullmatch(r'[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*', key)
    elif not isinstance(key, str) or not all(g and g not in ('.', '..') and NAME_CHARS.issuperset(g) for g in key.split('/')):
        problem = 'use letters, digits, \'-\', \'_\', \'.\', and \'/\' for grouping (no \'..\', no empty groups)'
    else:
        return
    # quoted cut short, as the TypeScript SDK does: a key may be a whole file's worth of text
    quoted = _quoted(key[:80]) + '...' if isinstance(key, str) and len(key) > 80 else _quoted(key)
    raise ValueError(f'Invalid artifact key {quoted}: {problem}. Example: datasets/train, model, plots/roc-curve')


def check_label_key(key: Any) -> None:
    """A label key is a non-empty string (as `--label KEY=VALUE` requires); its value is kept as text."""
    if not isinstance(key, str) or not key.strip():
        raise ValueError(f'Invalid label key {_quoted(key)}: a label key must be a non-empty string. Example: team=ml')


def checked_labels(labels: Optional[Dict[str, Any]]) -> Optional[Dict[str, str]]:
    """An artifact's labels as strings, every key checked; None when there are none."""
    if labels is None:
        return None
    if not isinstance(labels, dict):
        raise TypeError(f'labels must be a dict of key: value, not {type(labels).__name__}')
    for key in labels:
        check_label_key(key)
    return {k: str(v) for k, v in labels.items()} or None


def _quoted(key: Any) -> str:
    """The key as JSON.stringify writes it, so both SDKs print the same message."""
    import json

    try:
        return json.dumps(key, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(key)
