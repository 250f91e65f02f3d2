"""MLRun's plot artifacts: a matplotlib figure or PNG bytes (PlotArtifact) or a Plotly figure (PlotlyArtifact),
stored as HTML as MLRun stores them."""
from __future__ import annotations

import io

from .base import Artifact

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing costs every run's start-up ~4 ms
    from typing import Any, Optional

_IMG = '<h3 style="text-align:center">{}</h3>\n<img title="{}" src="data:image/png;base64,{}">\n'


class PlotArtifact(Artifact):
    kind = 'plot'
    lode_kind = 'plot'

    def __init__(self, key: Optional[str] = None, body: Any = None, is_inline: bool = False,
                 target_path: Optional[str] = None, title: Optional[str] = None) -> None:
        super().__init__(key, body, format='html', target_path=target_path, is_inline=is_inline)
        self.metadata.description = title
        self.spec.viewer = 'chart'

    def get_body(self) -> str:
        import base64
        body = self._body
        if hasattr(body, 'savefig'):
            buffer = io.BytesIO()
            body.savefig(buffer, format='png')
            body = buffer.getvalue()
        if not isinstance(body, (bytes, bytearray)):
            raise ValueError(f'PlotArtifact({self.key!r}): the body must be a matplotlib figure or PNG bytes, '
                             f'not {type(body).__name__}')
        data = base64.b64encode(bytes(body)).decode('ascii')
        return _IMG.format(self.metadata.description or self.key, self.key, data)


class PlotlyArtifact(Artifact):
    kind = 'plotly'
    lode_kind = 'plot'

    def __init__(self, figure: Any = None, key: Optional[str] = None, target_path: Optional[str] = None) -> None:
        super().__init__(key, None, viewer='plotly', format='html', target_path=target_path)
        if figure is not None and not hasattr(figure, 'to_html'):
            raise TypeError(f'PlotlyArtifact needs a plotly figure (plotly.graph_objs.Figure), not {type(figure).__name__}')
        self._figure = figure

    def get_body(self) -> str:
        if self._figure is None:
            raise ValueError(f'PlotlyArtifact({self.key!r}) has no figure')
        return self._figure.to_html()
