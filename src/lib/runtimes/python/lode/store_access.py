"""store:// addresses read inside a handler: the bytes and the record come through the `lode` command (read-only,
lode.run_object.fetch_artifact), since a handler never opens the store itself."""
from __future__ import annotations

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


def fetch_artifact(url: str, project_dir: str, key: str = '') -> DataItem:
    """A DataItem of a copy of the artifact's bytes (checked against their sha256 by lode), with its record as .meta
    (a dataset this Python cannot read gets the CSV copy lode hands a handler's inputs)."""
    from .run_object import fetch_artifact as fetch

    check_artifact_address(url, 'get_dataitem')
    return fetch(url, project_dir, key)
