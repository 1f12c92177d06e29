from __future__ import annotations

from django import template

from silta.sso import config

register = template.Library()


@register.simple_tag
def sso_providers() -> list[config.Provider]:
    """The configured OpenID providers, for the sign-in page's buttons."""
    return list(config.providers().values())
