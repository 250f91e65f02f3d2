"""The event channel: JSON lines written to the pipe lode gives the handler (LODE_EVENT_FD)."""
from __future__ import annotations

import json
import os
import sys
import threading
import time
from typing import Any, Dict, Optional

from .jsonvalue import to_json_value


def now_ms() -> int:
    return int(time.time() * 1000)


class EventChannel:
    """Writes one event a line, each line in one os.write, so lines from threads and subprocesses never tear.

    Without a pipe (a handler run as a plain script) logs and results are printed to stderr instead.
    """

    def __init__(self, fd: Optional[int]) -> None:
        self.fd = fd
        self._lock = threading.Lock()
        self._broken = False

    @classmethod
    def from_env(cls) -> 'EventChannel':
        raw = os.environ.get('LODE_EVENT_FD', '').strip()
        if not raw:
            return cls(None)
        try:
            fd = int(raw)
            os.fstat(fd)
        except (ValueError, OSError):
            print(f'lode: LODE_EVENT_FD={raw!r} is not an open file descriptor; events go to stderr', file=sys.stderr)
            return cls(None)
        return cls(fd)

    @property
    def connected(self) -> bool:
        return self.fd is not None and not self._broken

    def send(self, t: str, **fields: Any) -> Dict[str, Any]:
        event: Dict[str, Any] = {'t': t, 'ts': now_ms()}
        # optional fields left as None are left out; a result's value may be null
        event.update({k: v for k, v in fields.items() if v is not None or k == 'value'})
        event = to_json_value(event)
        if not self.connected:
            self._print(event)
            return event
        data = (json.dumps(event, ensure_ascii=False, allow_nan=False, separators=(',', ':')) + '\n').encode('utf-8')
        with self._lock:
            try:
                view = memoryview(data)
                while view:
                    written = os.write(self.fd, view)  # type: ignore[arg-type]
                    view = view[written:]
            except BrokenPipeError:
                # lode is gone (aborted); the handler's own output still says what happened
                self._broken = True
        return event

    @staticmethod
    def _print(event: Dict[str, Any]) -> None:
        t = event['t']
        if t == 'log':
            fields = ' '.join(f'{k}={json.dumps(v)}' for k, v in (event.get('fields') or {}).items())
            line = f"[{event['level']}] {event['msg']}" + (f' {fields}' if fields else '')
        elif t in ('result', 'label'):
            line = f"[{t}] {event['key']} = {json.dumps(event['value'])}"
        elif t == 'progress':
            line = f"[progress] {round(event['fraction'] * 100)}%" + (f" {event['message']}" if event.get('message') else '')
        elif t == 'artifact':
            line = f"[{event['kind']}] {event['key']} -> {event['path']}"
        else:
            line = f"[{t}] {event.get('message', '')}"
        print(line, file=sys.stderr, flush=True)
