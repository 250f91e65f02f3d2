"""The calibration curve as SVG, drawn like the SDK's other plots (lode.frameworks.sklearn.svg_plots)."""
from __future__ import annotations

from typing import Sequence

from lode.frameworks.sklearn.svg_plots import _fmt, _shade, _svg, _text


def calibration_svg(predicted: Sequence[float], observed: Sequence[float]) -> str:
    """Fraction of positives against mean predicted probability, per bin; the diagonal is a perfect calibration."""
    left, top, side = 60.0, 50.0, 360.0
    body = [_text(left + side / 2, 28, 'Calibration curve', size=16, extra='font-weight="bold"'),
            f'<rect x="{left}" y="{top}" width="{side}" height="{side}" fill="none" stroke="#333"/>',
            f'<line x1="{left}" y1="{top + side}" x2="{left + side}" y2="{top}" stroke="#999" stroke-dasharray="4 4"/>',
            _text(left + side / 2, top + side + 36, 'Mean predicted probability'),
            _text(18, top + side / 2, 'Fraction of positives', extra=f'transform="rotate(-90 18 {top + side / 2:.1f})"')]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        x, y = left + side * tick, top + side * (1 - tick)
        body.append(_text(x, top + side + 16, _fmt(tick)))
        body.append(_text(left - 6, y + 4, _fmt(tick), anchor='end'))
    points = [(left + side * float(p), top + side * (1 - float(o))) for p, o in zip(predicted, observed)]
    body.append(f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in points)}" fill="none" stroke="{_shade(1.0)}" stroke-width="2"/>')
    body.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{_shade(1.0)}"/>' for x, y in points)
    return _svg(left + side + 30, top + side + 50, body)
