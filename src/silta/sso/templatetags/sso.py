from __future__ import annotations

import logging

from django import template
from django.core.exceptions import ImproperlyConfigured

from silta.sso import config

register = template.Library()
LOG = logging.getLogger(__name__)


@register.simple_tag
def sso_providers() -> list[config.Provider]:
    """The configured OpenID providers, for the sign-in page's buttons. A broken
    configuration file hides the buttons (and is logged); password sign-in still works."""
    try:
        return list(config.providers().values())
    except ImproperlyConfigured as exc:
        LOG.error("single sign-on is off: %s", exc)
        return []
