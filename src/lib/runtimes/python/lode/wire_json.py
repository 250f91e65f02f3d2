"""JSON for what a run exchanges with lode (its spec, the start line, events), written and read by the C encoder and
scanner of the standard `_json` module directly. The `json` package imports `re`, and `re` imports `enum`: ~10 ms
of every handler's start-up, for a few small documents. The output is json.dumps's with `separators=(',', ':')`;
where `_json` is missing or takes other arguments (another Python), the `json` package does the work, and a text
the scanner does not read whole goes to json.loads, so every error is the json package's own."""
from __future__ import annotations

try:
    import _json
except ImportError:  # pragma: no cover - CPython always has it
    _json = None  # type: ignore[assignment]

_WHITESPACE = ' \t\n\r'
_CONSTANTS = {'NaN': float('nan'), 'Infinity': float('inf'), '-Infinity': float('-inf')}


class _DecoderOptions:
    """What the C scanner reads from a json.JSONDecoder: its defaults."""
    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = _CONSTANTS.__getitem__


_scanner = None


def _default(value: object) -> object:
    raise TypeError(f'Object of type {value.__class__.__name__} is not JSON serializable')


def dumps(value: object, ensure_ascii: bool = False, allow_nan: bool = False) -> str:
    """json.dumps(value, ensure_ascii=ensure_ascii, allow_nan=allow_nan, separators=(',', ':'))."""
    if _json is not None:
        string = getattr(_json, 'encode_basestring_ascii' if ensure_ascii else 'encode_basestring', None)
        try:
            # a new encoder each time: it keeps the containers it is inside of (to refuse cycles) in `markers`,
            # which an error part-way leaves behind
            encode = _json.make_encoder({}, _default, string, None, ':', ',', False, False, allow_nan)
        except (AttributeError, TypeError):
            encode = None
        if encode is not None and string is not None:
            return string(value) if isinstance(value, str) else ''.join(encode(value, 0))
    import json

    return json.dumps(value, ensure_ascii=ensure_ascii, allow_nan=allow_nan, separators=(',', ':'))


def loads(text: str) -> object:
    """json.loads(text) of a str."""
    global _scanner
    if _scanner is None and _json is not None:
        try:
            _scanner = _json.make_scanner(_DecoderOptions)
        except (AttributeError, TypeError):
            _scanner = False
    if _scanner and not text.startswith('\ufeff'):
        start = len(text) - len(text.lstrip(_WHITESPACE))
        try:
            value, end = _scanner(text, start)
        except (StopIteration, ValueError):
            pass  # json.loads says what is wrong
        else:
            if not text[end:].strip(_WHITESPACE):
                return value
    import json

    return json.loads(text)
