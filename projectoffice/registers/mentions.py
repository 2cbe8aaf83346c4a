"""`@username` mentions in comments: who they name, and the comment with each mention of a
real person turned into a link to their directory entry."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from projectoffice.accounts.models import User

# Not preceded by a word character, so an e-mail address is not a mention; a user name may
# hold . + - _ but a mention does not end with a full stop (the end of a sentence).
MENTION = re.compile(r"(?<![\w.@+-])@([\w.+-]*[\w+-])")


def mentioned_names(body: str) -> list[str]:
    return list(dict.fromkeys(MENTION.findall(body)))


def mentioned_users(body: str) -> list[User]:
    """The active people a text mentions, in the order first mentioned."""
    names = mentioned_names(body)
    found = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    return [found[n] for n in names if n in found]


def render_mentions(body: str) -> SafeString:
    """The text escaped, with mentions of real people as links."""
    known = {u.username for u in mentioned_users(body)}
    out: list[str] = []
    last = 0
    for match in MENTION.finditer(body):
        name = match.group(1)
        if name not in known:
            continue
        out.append(escape(body[last:match.start()]))
        out.append(format_html('<a class="mention" href="{}">@{}</a>',
                               reverse("person", args=[name]), name))
        last = match.end()
    out.append(escape(body[last:]))
    return mark_safe("".join(out))  # every piece is escaped above
