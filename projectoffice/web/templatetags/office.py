from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join

from projectoffice.engine import health as health_rule

register = template.Library()


@register.simple_tag
def state_badge(item: Any) -> str:
    state = item.state
    return format_html('<span class="badge {}">{}</span>', state.tone, state.label)


@register.simple_tag
def priority_badge(value: str) -> str:
    return format_html('<span class="badge {}">{}</span>', value, value.capitalize())


@register.simple_tag
def rag(project: Any) -> str:
    return format_html('<span class="rag-dot {}" aria-hidden="true"></span>{}', project.rag,
                       project.get_rag_display())


@register.filter
def finish_day(moment: Any) -> Any:
    """A finish instant as the day it belongs to (00:00 is the end of the day before)."""
    return health_rule.finish_day(moment)


@register.simple_tag
def rag_value(value: str | None) -> str:
    """A RAG given as its value (a computed one); None reads "Not judged"."""
    labels = {"green": "Green", "amber": "Amber", "red": "Red"}
    if value not in labels:
        return format_html('<span class="muted">{}</span>', "Not judged")
    return format_html('<span class="rag-dot {}" aria-hidden="true"></span>{}', value,
                       labels[str(value)])


@register.simple_tag
def rag_mismatch(row: Any) -> str:
    """The flag shown where the declared RAG and the computed one differ."""
    if not row.mismatch:
        return ""
    return format_html(
        '<span class="badge warning rag-mismatch" title="Declared {}, computed {}: {}">'
        '≠ declared</span>', row.project.get_rag_display(), row.computed_label,
        row.health.reason)


@register.filter
def changes_html(changes: dict[str, Any]) -> str:
    """Renders an audit entry's changes: 'field: before → after' or 'field: value'."""
    def row(name: str, value: Any) -> tuple[str, str, str]:
        label = name.replace("_", " ")
        if isinstance(value, list) and len(value) == 2:
            before, after = value
            if before in (None, ""):
                return (label, "", format_html("<ins>{}</ins>", _short(after)))
            return (label, format_html("<del>{}</del> → ", _short(before)),
                    format_html("<ins>{}</ins>", _short(after)))
        return (label, "", format_html("{}", _short(value)))

    if not changes:
        return ""
    items = [(k, v) for k, v in changes.items() if v not in (None, "", [None, ""], ["", None])]
    shown, rest = items[:3], items[3:]
    html = format_html_join("", '<div class="change"><b>{}</b>: {}{}</div>',
                            (row(k, v) for k, v in shown))
    if rest:
        # Creations list every field; the first few say what it was, the rest fold away.
        html = format_html('{}<details class="change"><summary>{} more field{}</summary>{}'
                           "</details>", html, len(rest), "s" if len(rest) > 1 else "",
                           format_html_join("", '<div class="change"><b>{}</b>: {}{}</div>',
                                            (row(k, v) for k, v in rest)))
    return html


def _short(value: Any) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= 140 else text[:137] + "…"


@register.simple_tag(takes_context=True)
def sort_link(context: Any, key: str, label: str) -> str:
    request = context["request"]
    params = request.GET.copy()
    current = params.get("sort", "")
    params["sort"] = f"-{key}" if current == key else key
    params.pop("page", None)
    arrow = " ▲" if current == key else (" ▼" if current == f"-{key}" else "")
    return format_html('<a href="?{}">{}{}</a>', params.urlencode(), label, arrow)


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def get_display(obj: Any, name: str) -> Any:
    display = getattr(obj, f"get_{name}_display", None)
    value = display() if display else getattr(obj, name)
    if isinstance(value, Decimal) and value.as_tuple().exponent < -2:  # type: ignore[operator]
        # A measure kept to four places reads as written: 8.0000 → 8, 4.2500 → 4.25.
        value = f"{value.normalize():f}"
    return "—" if value in (None, "") else value
