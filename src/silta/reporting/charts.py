"""Server-side SVG bar chart of a published table (no JavaScript, no CDN, printable),
in the manner of ``silta.funding.charts``: the chart has a title, and the same figures
are in the table beside it. A hidden figure has no bar and shows the hidden mark."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from silta.reporting.suppression import HIDDEN

COLOUR = "#0072B2"  # Okabe–Ito blue, as the funding charts
WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 60, 10, 16, 70


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u00a0") if value == int(value) else f"{value:.1f}"


def bars(
    title: str, labels: Sequence[str], values: Sequence[float | None], ident: str
) -> SafeString:
    """One bar per label; ``None`` (hidden) draws no bar."""
    top = _nice_max(max((v for v in values if v is not None), default=0.0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    band = plot_w / max(len(labels), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{escape(ident)}" class="chart">',
        f'<title id="{escape(ident)}">{escape(title)}</title>',
    ]
    for i in range(5):
        tick = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#d0d4da" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{escape(_number(tick))}</text>"
        )
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = LEFT + i * band
        centre = x + band / 2
        if value is None:
            parts.append(
                f'<text x="{centre:.1f}" y="{TOP + plot_h - 4}" font-size="11" '
                f'text-anchor="middle">{HIDDEN}</text>'
            )
        else:
            h = plot_h * value / top
            parts.append(
                f'<rect x="{x + band * 0.15:.1f}" y="{TOP + plot_h - h:.1f}" '
                f'width="{band * 0.7:.1f}" height="{h:.1f}" fill="{COLOUR}">'
                f"<title>{escape(label)}: {escape(_number(value))}</title></rect>"
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="11" '
            f'text-anchor="middle">{escape(label[:14])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
