"""Errors the SDK and the runner raise, named for what went wrong."""
from __future__ import annotations


class MissingDependencyError(ImportError):
    """An optional package (pandas, pyarrow, scikit-learn) is needed and this interpreter lacks it."""


class HandlerNotFoundError(LookupError):
    """The handler named in the run is not a function of the handler file."""


class HandlerBindingError(TypeError):
    """The run's params and inputs do not fit the handler's signature."""


class MissingInputError(KeyError):
    """context.get_input(key) for an input the run does not have."""

    def __str__(self) -> str:  # KeyError would print the message in quotes
        return str(self.args[0]) if self.args else ''
