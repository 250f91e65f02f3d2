"""store:// addresses taken apart as MLRun's parse_store_uri does: prefix, project, key, iter, tag, tree."""
from __future__ import annotations

import re
from typing import Any, Dict

_URI = re.compile(r'^store://(?P<prefix>[^/]+)/(?P<project>[^/]+)/(?P<key>[^#:@]+)(?:#(?P<iter>\d+))?'
                  r'(?::(?P<tag>[^@]+))?(?:@(?P<tree>.+))?$')


def parse_store_uri(uri: str) -> Dict[str, Any]:
    found = _URI.match(uri or '')
    if not found:
        return {}
    parts: Dict[str, Any] = found.groupdict()
    parts['iter'] = int(parts['iter']) if parts['iter'] else 0
    return parts
