"""Filling document and letter templates from project data: a fixed set of placeholders
(``{{ project.name }}``), so a template can never reach anything else."""

from __future__ import annotations

import io
import re
from datetime import date

from projectoffice.accounts.models import User
from projectoffice.errors import InvalidInput
from projectoffice.planning.progress import project_finish
from projectoffice.portfolio.models import Project

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")

PLACEHOLDERS = ("project.code", "project.name", "project.manager", "project.sponsor",
                "project.customer", "project.start_date", "project.finish_date",
                "project.programme", "today", "author", "recipient", "subject")


def check_template(body: str) -> None:
    unknown = sorted({m for m in PLACEHOLDER.findall(body) if m not in PLACEHOLDERS})
    if unknown:
        raise InvalidInput.field("body", f"unknown placeholder {{{{ {unknown[0]} }}}}; use "
                                         + ", ".join(PLACEHOLDERS))


def _d(value: date | None) -> str:
    return f"{value:%d %B %Y}" if value else ""


def fill(body: str, *, project: Project, author: User, today: date, recipient: str = "",
         subject: str = "") -> str:
    values = {
        "project.code": project.code, "project.name": project.name,
        "project.manager": str(project.manager or ""),
        "project.sponsor": str(project.sponsor or ""), "project.customer": project.customer,
        "project.start_date": _d(project.start_date),
        "project.finish_date": _d(project_finish(project).date),  # the plan's, as shown
        "project.programme": project.programme.name if project.programme else "",
        "today": _d(today), "author": str(author), "recipient": recipient,
        "subject": subject,
    }
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)


def to_docx(title: str, text: str) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    for block in text.split("\n\n"):
        if block.startswith("# "):
            document.add_heading(block[2:].strip(), level=1)
        else:
            document.add_paragraph(block.strip("\n"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
