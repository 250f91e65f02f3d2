"""The context's logger: MLRun's logger.info(msg, **fields) calls, sent as log events."""
from __future__ import annotations

from .events import EventChannel

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any


class Logger:
    def __init__(self, channel: EventChannel) -> None:
        self._channel = channel

    def _log(self, level: str, msg: Any, fields: dict) -> None:
        self._channel.send('log', level=level, msg=str(msg), fields=fields or None)

    def debug(self, msg: Any, *args: Any, **fields: Any) -> None:
        self._log('debug', _format(msg, args), fields)

    def info(self, msg: Any, *args: Any, **fields: Any) -> None:
        self._log('info', _format(msg, args), fields)

    def warning(self, msg: Any, *args: Any, **fields: Any) -> None:
        self._log('warn', _format(msg, args), fields)

    warn = warning

    def error(self, msg: Any, *args: Any, **fields: Any) -> None:
        self._log('error', _format(msg, args), fields)

    def exception(self, msg: Any, *args: Any, **fields: Any) -> None:
        """An error with the traceback of the exception being handled."""
        import traceback  # imported when used: every run would pay for it

        fields = dict(fields, traceback=traceback.format_exc())
        self._log('error', _format(msg, args), fields)


def _format(msg: Any, args: tuple) -> str:
    """%-style arguments, as the logging module takes them."""
    text = str(msg)
    if args:
        try:
            return text % args
        except (TypeError, ValueError):
            return ' '.join([text, *map(str, args)])
    return text
