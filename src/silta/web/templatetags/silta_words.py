"""Codes in words for templates: ``{% load silta_words %}`` then
``{{ code|basis_text }}``, ``{{ code|section_text }}``, ``{{ code|role_text }}``
(``silta.web.words``)."""

from __future__ import annotations

from django import template

from silta.web import words

register = template.Library()

register.filter("basis_text", words.basis_text)
register.filter("section_text", words.section_text)
register.filter("role_text", words.role_text)
register.filter("in_reader_language", words.in_reader_language)


@register.filter
def indicator_title(indicator: object) -> str:
    """``{{ indicator|indicator_title }}``: the title in the reader's language when it
    is the linked statistic's own name (``silta.web.words.indicator_title``)."""
    return words.indicator_title(
        str(getattr(indicator, "title", "")), str(getattr(indicator, "statistic", ""))
    )
