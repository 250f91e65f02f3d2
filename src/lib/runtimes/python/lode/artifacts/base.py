"""MLRun's artifact objects: what `log_*` return and what `log_artifact` takes. lode stores the bytes and the record;
the object carries MLRun's fields (`.key .tag .iter .tree .labels .target_path`), its address (`.uri`) and
`.to_dict()`/`.base_dict()` in MLRun's shape (kind, metadata, spec, status)."""
from __future__ import annotations

from ..keys import NAME_CHARS

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any, Dict, Optional

_DIGITS = frozenset('0123456789')


def check_tag(tag: Any, where: str) -> Optional[str]:
    """The tag to apply ('' and None: none; 'latest' moves by itself), or a ValueError saying what a tag may be."""
    if tag is None or tag == '' or tag == 'latest':
        return None
    # as lode's store takes it (src/lib/store/artifacts.ts): [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}, and not v\d+
    if (not isinstance(tag, str) or not 0 < len(tag) <= 128 or tag[0] in '.-' or not NAME_CHARS.issuperset(tag)
            or (tag[0] == 'v' and len(tag) > 1 and _DIGITS.issuperset(tag[1:]))):
        raise ValueError(f'{where}: invalid tag {tag!r}: use letters, digits, \'-\', \'_\' and \'.\', starting with a '
                         'letter, digit or \'_\' (tags like v3 name version numbers and are lode\'s own)')
    return tag


def _plain(value: Any) -> Any:
    if isinstance(value, Fields):
        return value.to_dict()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class Fields:
    """An attribute bag (MLRun's metadata, spec, status); to_dict() leaves out what is unset."""

    _bulky: tuple = ()

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)

    def to_dict(self, fields: Any = None, exclude: Any = None, strip: bool = False) -> Dict[str, Any]:
        return {k: _plain(v) for k, v in self.__dict__.items()
                if not k.startswith('_') and v is not None and v != {} and v != [] and v != ''
                and (fields is None or k in fields) and (not exclude or k not in exclude)}

    def base_dict(self) -> Dict[str, Any]:
        return self.to_dict(exclude=self._bulky)

    def __repr__(self) -> str:
        return f'{type(self).__name__}({self.to_dict()!r})'


class ArtifactMetadata(Fields):
    pass


class ArtifactSpec(Fields):
    _bulky = ('preview', 'stats', 'schema', 'header', 'extra_data', 'feature_stats')


class ArtifactStatus(Fields):
    pass


class Artifact:
    """A file or body logged by a run (MLRun's `mlrun.artifacts.Artifact`)."""

    kind = 'artifact'
    #: the kind lode stores it as (artifact, dataset, model, plot, dir)
    lode_kind = 'artifact'
    _store_prefix = 'artifacts'

    def __init__(self, key: Optional[str] = None, body: Any = None, viewer: Optional[str] = None, is_inline: bool = False,
                 format: Optional[str] = None, size: Optional[int] = None, target_path: Optional[str] = None,
                 project: Optional[str] = None, src_path: Optional[str] = None,
                 metadata: Optional[ArtifactMetadata] = None, spec: Optional[ArtifactSpec] = None) -> None:
        self.metadata = metadata or ArtifactMetadata(key=key, project=project, iter=0, tree=None, tag=None, labels={},
                                                     description=None, hash=None)
        self.spec = spec or ArtifactSpec(src_path=src_path, target_path=target_path, viewer=viewer, format=format,
                                         size=size, db_key=None, extra_data={})
        self.status = ArtifactStatus(state='created')
        self._body = body
        self._is_inline = is_inline
        self._raw: Optional[Dict[str, Any]] = None  # what lode recorded, for an artifact read as an input

    # ---- MLRun's properties

    key = property(lambda self: self.metadata.key, lambda self, v: setattr(self.metadata, 'key', v))
    tag = property(lambda self: self.metadata.tag, lambda self, v: setattr(self.metadata, 'tag', v))
    iter = property(lambda self: self.metadata.iter, lambda self, v: setattr(self.metadata, 'iter', v))
    tree = property(lambda self: self.metadata.tree, lambda self, v: setattr(self.metadata, 'tree', v))
    project = property(lambda self: self.metadata.project, lambda self, v: setattr(self.metadata, 'project', v))
    labels = property(lambda self: self.metadata.labels, lambda self, v: setattr(self.metadata, 'labels', dict(v or {})))
    hash = property(lambda self: self.metadata.hash)
    target_path = property(lambda self: self.spec.target_path, lambda self, v: setattr(self.spec, 'target_path', v))
    src_path = property(lambda self: self.spec.src_path, lambda self, v: setattr(self.spec, 'src_path', v))
    format = property(lambda self: self.spec.format, lambda self, v: setattr(self.spec, 'format', v))
    size = property(lambda self: self.spec.size, lambda self, v: setattr(self.spec, 'size', v))
    viewer = property(lambda self: self.spec.viewer, lambda self, v: setattr(self.spec, 'viewer', v))
    db_key = property(lambda self: self.spec.db_key or self.metadata.key, lambda self, v: setattr(self.spec, 'db_key', v))
    extra_data = property(lambda self: self.spec.extra_data, lambda self, v: setattr(self.spec, 'extra_data', v))
    producer = property(lambda self: getattr(self.spec, 'producer', None))

    @property
    def is_dir(self) -> bool:
        return False

    @property
    def inline(self) -> Any:
        return self._body if self._is_inline else None

    def get_body(self) -> Any:
        return self._body

    def get_target_path(self) -> Optional[str]:
        return self.spec.target_path

    # lode's own: the staged file while the run lasts (its bytes move into the store when the run ends)
    @property
    def path(self) -> Optional[str]:
        return self.spec.target_path

    def local(self) -> Optional[str]:
        return self.spec.target_path

    @property
    def uri(self) -> str:
        """store://<artifacts|datasets|models>/<project>/<key>[#<iter>][:<tag>][@<run uid>], as MLRun writes it."""
        return self.get_store_url()

    def get_store_url(self, with_tag: bool = True, project: Optional[str] = None, with_tree: bool = True) -> str:
        uri = f'store://{self._store_prefix}/{project or self.project or ""}/{self.db_key}'
        if self.iter:
            uri += f'#{self.iter}'
        if with_tag and self.tag:
            uri += f':{self.tag}'
        if with_tree and self.tree:
            uri += f'@{self.tree}'
        return uri

    def to_dataitem(self) -> Any:
        from ..data_item import DataItem

        return DataItem(self.key or '', self.uri, self.spec.target_path or '', self.lode_meta())

    def lode_meta(self) -> Dict[str, Any]:
        """The meta dict lode gives an input of this artifact (kind, format, uri, key, dataset or model)."""
        if self._raw is not None:
            return self._raw
        return {'kind': self.lode_kind, 'format': self.spec.format, 'uri': self.uri, 'key': self.key}

    def to_dict(self, fields: Any = None, exclude: Any = None, strip: bool = False) -> Dict[str, Any]:
        struct = {'kind': self.kind, 'metadata': self.metadata.to_dict(), 'spec': self.spec.to_dict(),
                  'status': self.status.to_dict()}
        return {k: v for k, v in struct.items() if (fields is None or k in fields) and (not exclude or k not in exclude)}

    def base_dict(self) -> Dict[str, Any]:
        """The short form: without previews, statistics, schemas and extra data."""
        return {'kind': self.kind, 'metadata': self.metadata.base_dict(), 'spec': self.spec.base_dict(),
                'status': self.status.base_dict()}

    def to_json(self, fields: Any = None, exclude: Any = None, strip: bool = False) -> str:
        import json

        return json.dumps(self.to_dict(fields, exclude, strip), default=str)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(key={self.key!r}, uri={self.uri!r}, target_path={self.target_path!r})'

    # lode's old return value was read like a dict of the event by some callers (meta['model'] ...)
    def __getitem__(self, name: str) -> Any:
        meta = self.lode_meta()
        return meta[name] if name in meta else getattr(self, name)

    def __contains__(self, name: str) -> bool:
        return name in self.lode_meta()

    def get(self, name: str, default: Any = None) -> Any:
        try:
            return self[name]
        except (KeyError, AttributeError):
            return default


class DirArtifact(Artifact):
    kind = 'dir'
    lode_kind = 'dir'

    @property
    def is_dir(self) -> bool:
        return True
