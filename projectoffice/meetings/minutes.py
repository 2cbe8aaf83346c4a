"""The minutes of a meeting as a PDF (fpdf2, with its built-in Helvetica)."""

from __future__ import annotations

from django.utils import timezone
from fpdf import FPDF

from .models import Meeting


def _latin(text: str) -> str:
    return (text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
            .replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", "-")
            .replace("\u2026", "...").encode("latin-1", "replace").decode("latin-1"))


def minutes_pdf(meeting: Meeting) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_title(_latin(f"Minutes: {meeting.title}"))
    width = pdf.epw

    def heading(text: str) -> None:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(width, 7, _latin(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)

    def line(text: str) -> None:
        pdf.multi_cell(width, 5.5, _latin(text), new_x="LMARGIN", new_y="NEXT")

    start = timezone.localtime(meeting.starts_at)
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(width, 9, _latin(f"Minutes: {meeting.title}"), new_x="LMARGIN",
                   new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    line(f"{meeting.project.code} {meeting.project.name}")
    line(f"{start:%A %d %B %Y, %H:%M} to {timezone.localtime(meeting.ends_at):%H:%M}"
         + (f" - {meeting.location}" if meeting.location else ""))
    heading("Attendance")
    for a in meeting.attendees.all():
        line(f"{a.name}{' (guest)' if a.external else ''}: {a.get_attendance_display()}")
    heading("Agenda")
    for item in meeting.agenda.all():
        owner = f" - {item.owner}" if item.owner else ""
        line(f"{item.position}. {item.title}{owner} ({item.minutes_allowed} min)")
    heading("Minutes")
    line(meeting.minutes or "No minutes recorded.")
    heading("Decisions")
    for n, d in enumerate(meeting.decisions.all(), start=1):
        line(f"D{n}. {d.text}")
    if not meeting.decisions.exists():
        line("None recorded.")
    heading("Actions")
    for ma in meeting.actions.select_related("action__assignee"):
        act = ma.action
        due = f", due {act.due_date:%d %b %Y}" if act.due_date else ""
        line(f"{act.reference} {act.title} - {act.assignee or act.owner or 'unassigned'}{due} "
             f"[{act.state.label}]")
    if not meeting.actions.exists():
        line("None raised.")
    return bytes(pdf.output())
