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


class NotProvidedError(NotImplementedError):
    """A part of MLRun that lode does not provide (the feature store, serving graphs, nuclio, Kubernetes)."""


def not_provided(name: str, what: str) -> NotProvidedError:
    """The one error a handler gets for an MLRun feature out of lode's scope: what it asked for and what lode is."""
    return NotProvidedError(f'{name}: lode does not provide {what}. lode runs handlers locally and records their runs '
                            'and artifacts; this part of MLRun needs an MLRun server')
