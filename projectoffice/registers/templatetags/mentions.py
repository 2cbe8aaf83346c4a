from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from projectoffice.registers.mentions import render_mentions

register = template.Library()


@register.filter
def mentions(body: str) -> SafeString:
    """A comment with its @mentions of real people as links to them."""
    return render_mentions(body or "")
