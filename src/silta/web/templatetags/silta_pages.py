"""Template components of the page pattern (ADR 0025)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _positions(raw: str) -> set[int]:
    return {int(p) for p in raw.split(",") if p.strip().isdigit()}


@register.simple_tag
def columns(*labels: str, num: str = "", hidden: str = "") -> SafeString:
    """A table's column headers, one ``<th scope="col">`` per label (translated with
    ``_("…")`` in the template): ``num="3,4"`` right-aligns those columns (1-based),
    ``hidden="5"`` keeps a column's label for screen readers only (an actions column).
    Write ``<thead><tr>{% columns _("Name") _("Age") num="2" %}</tr></thead>``."""
    right, quiet = _positions(num), _positions(hidden)
    cells = []
    for n, label in enumerate(labels, start=1):
        css = mark_safe(' class="num"') if n in right else ""
        text = label
        if n in quiet:
            text = format_html('<span class="visually-hidden">{}</span>', label)
        cells.append((css, text))
    return format_html_join("", '<th scope="col"{}>{}</th>', cells)
