"""store:// addresses read inside a handler: the bytes and the record come through the `lode` command (read-only),
since a handler never opens the store itself."""
from __future__ import annotations

import json
import os
import subprocess
import tempfile
from typing import Any, Dict, List

from .data_item import DataItem
from .errors import not_provided

_ARTIFACT_PREFIXES = ('artifacts', 'datasets', 'models')


def check_artifact_address(url: str, where: str) -> None:
    text = str(url)
    if not text.startswith('store://'):
        raise ValueError(f'{where}({url!r}): not a store:// address (store://artifacts/<project>/<key>[:<tag>])')
    prefix = text[len('store://'):].split('/', 1)[0]
    if prefix in ('feature-sets', 'feature-vectors', 'featuresets', 'featurevectors'):
        raise not_provided(f'{where}({url!r})', "MLRun's feature store (feature sets and feature vectors)")
    if prefix not in _ARTIFACT_PREFIXES:
        raise ValueError(f'{where}({url!r}): lode reads store://artifacts/..., store://datasets/... and '
                         'store://models/... addresses')


def _lode(args: List[str], project_dir: str) -> Dict[str, Any]:
    try:
        done = subprocess.run(['lode', *args, '--json'], cwd=project_dir, capture_output=True, text=True)
    except FileNotFoundError:
        raise RuntimeError('store:// addresses are read through the lode command, which is not on PATH here (inside '
                           '`lode run` it always is): pass the artifact as an input instead, -i KEY=store://...') from None
    try:
        envelope = json.loads(done.stdout)
    except ValueError:
        raise RuntimeError(f'lode {" ".join(args)} failed (exit {done.returncode}): {done.stderr.strip()[-500:]}') from None
    if not envelope.get('ok'):
        error = envelope.get('error') or {}
        exc = LookupError if error.get('exitCode') == 4 else ValueError
        raise exc(f'{error.get("message")} {error.get("hint") or ""}'.strip())
    return envelope['data']


def fetch_artifact(url: str, project_dir: str, fetch_dir: str, key: str = '') -> DataItem:
    """A DataItem of a copy of the artifact's bytes (checked against their sha256 by lode), with its record as .meta."""
    check_artifact_address(url, 'get_dataitem')
    record = _lode(['artifacts', 'get', url], project_dir)['artifact']
    os.makedirs(fetch_dir, exist_ok=True)
    dest = tempfile.mkdtemp(dir=fetch_dir)
    path = _lode(['artifacts', 'get', record['uri'], '-o', dest], project_dir)['path']
    meta: Dict[str, Any] = {k: record.get(k) for k in ('kind', 'format', 'uri', 'key', 'version', 'labels', 'tags')}
    stored = record.get('meta') or {}
    if stored.get('dataset'):
        meta['dataset'] = {'schema': stored['dataset'].get('schema'), 'rows': stored['dataset'].get('rows')}
    if stored.get('model'):
        meta['model'] = stored['model']
    return DataItem(key or record['key'], url, path, meta)
