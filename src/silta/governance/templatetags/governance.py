"""``{% my_overdue_actions as items %}``: the signed-in user's own overdue action
items, for the front page (``governance/_my_overdue.html``)."""

from __future__ import annotations

from typing import Any

from django import template

from silta.accounts.models import User
from silta.governance.models import ActionItem
from silta.governance.selectors import overdue_actions_for

register = template.Library()


@register.simple_tag(takes_context=True)
def my_overdue_actions(context: dict[str, Any]) -> list[ActionItem]:
    user = context.get("user")
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    return overdue_actions_for(actor=user, own_only=True, limit=20)
