"""The one error auto_trainer raises for what the user gave: a class, a param, a column."""
from __future__ import annotations

from lode.errors import HandlerBindingError


class AutoTrainerError(HandlerBindingError):
    """A model class, param or input auto_trainer cannot use. lode's runner reports its message alone, without a
    stack: the message names what was wrong and what to do."""
