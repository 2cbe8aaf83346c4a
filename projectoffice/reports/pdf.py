"""Status reports and the portfolio pack as PDF (fpdf2, built-in Helvetica; charts drawn as
SVG and turned into PNG with cairosvg)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from fpdf import FPDF, FontFace

from . import charts
from .models import StatusReport
from .queries import ReportView, report_view
from .snapshot import DECLARED_DIMENSIONS

RGB = {"green": (46, 125, 50), "amber": (230, 149, 0), "red": (198, 40, 40),
       None: (158, 158, 158)}


def latin(text: Any) -> str:
    return (str(text).replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
            .replace("\u201d", '"').replace("\u2013", "-").replace("\u2014", "-")
            .replace("\u2026", "...").replace("\u00b7", "-").replace("\u2192", "->")
            .replace("\u2212", "-")
            .encode("latin-1", "replace").decode("latin-1"))


def _date(iso: str | None) -> str:
    return dt.date.fromisoformat(iso).strftime("%d %b %Y") if iso else "-"


def _idx(value: Any) -> str:
    return "-" if value is None else f"{float(value):.2f}"


def _money(value: Any, currency: str) -> str:
    return "-" if value is None else f"{currency} {float(value):,.0f}"


class ReportPDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 6, latin(f"{self.footer_text}   page {self.page_no()}"), align="R")
        self.set_text_color(0, 0, 0)


def new_pdf(title: str) -> ReportPDF:
    pdf = ReportPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_title(latin(title))
    pdf.footer_text = title
    return pdf


def _heading(pdf: FPDF, text: str, size: int = 12) -> None:
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", size)
    pdf.multi_cell(pdf.epw, 7, latin(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9.5)


def _line(pdf: FPDF, text: str, height: float = 5) -> None:
    pdf.multi_cell(pdf.epw, height, latin(text), new_x="LMARGIN", new_y="NEXT")


def _rag_cell(pdf: FPDF, rag: str | None, width: float, height: float = 6) -> None:
    pdf.set_fill_color(*RGB.get(rag, RGB[None]))
    pdf.set_text_color(255, 255, 255)
    pdf.cell(width, height, (rag or "not judged").capitalize(), border=0, fill=True,
             align="C")
    pdf.set_text_color(0, 0, 0)


def _table(pdf: FPDF, headings: Sequence[str], rows: Sequence[Sequence[str]],
           widths: Sequence[float]) -> None:
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(200, 200, 200)
    pdf.set_font("Helvetica", "B", 9)
    head_style = FontFace(emphasis="BOLD", fill_color=(236, 239, 244))
    with pdf.table(col_widths=tuple(widths), text_align="LEFT", line_height=5,
                   first_row_as_headings=True, borders_layout="HORIZONTAL_LINES",
                   headings_style=head_style) as table:
        head = table.row()
        for h in headings:
            head.cell(latin(h))
        pdf.set_font("Helvetica", "", 9)
        for r in rows:
            row = table.row()
            for value in r:
                row.cell(latin(value))
    pdf.set_font("Helvetica", "", 9.5)


def _commentary(pdf: FPDF, view: ReportView, key: str) -> None:
    text = view.report.commentary.get(key, "").strip()
    if text:
        pdf.set_font("Helvetica", "I", 9.5)
        _line(pdf, text)
        pdf.set_font("Helvetica", "", 9.5)


def write_report(pdf: ReportPDF, view: ReportView, *, section: bool = False,
                 new_page: bool = True) -> None:
    """One report's pages (starting a new page unless told it is on one); ``section`` adds
    it to the pack's table of contents."""
    f, report = view.figures, view.report
    project = f["project"]
    if new_page:
        pdf.add_page()
    title = f"{project['code']} {project['name']}"
    if section:
        pdf.start_section(latin(title))
    pdf.set_font("Helvetica", "B", 16)
    _line(pdf, f"Status report: {title}", 8)
    pdf.set_font("Helvetica", "", 10)
    state = report.get_status_display()
    _line(pdf, f"{view.period.label} ({_date(f['period']['start'])} to "
               f"{_date(f['period']['end'])}) - {state} - figures as of {_date(f['as_of'])}")
    _line(pdf, f"Project manager: {project['manager'] or '-'}"
               + (f" - Programme: {project['programme']}" if project["programme"] else "")
               + f" - Phase: {project['phase']}")
    _heading(pdf, "Summary")
    _commentary(pdf, view, "summary")

    _heading(pdf, "Health: declared and computed")
    width = pdf.epw
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(width * 0.22, 6, "Dimension")
    pdf.cell(width * 0.13, 6, "Declared", align="C")
    pdf.cell(width * 0.13, 6, "Computed", align="C")
    pdf.cell(width * 0.52, 6, "  Reason (computed)", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for row in view.declared_rows:
        pdf.cell(width * 0.22, 6, latin(row["label"]))
        if row["declared"]:
            _rag_cell(pdf, row["declared"], width * 0.12)
        else:
            pdf.cell(width * 0.12, 6, "-", align="C")
        pdf.cell(width * 0.01, 6, "")
        _rag_cell(pdf, row["computed"], width * 0.12)
        pdf.cell(width * 0.01, 6, "")
        pdf.multi_cell(width * 0.52, 6, latin("  " + row["reason"]), new_x="LMARGIN",
                       new_y="NEXT")
        pdf.ln(0.8)
    if f.get("declared_reason"):
        _line(pdf, f"Project manager's reason: {f['declared_reason']}")
    _commentary(pdf, view, "health")
    progress = f["progress"]
    done = progress["percent_complete"]
    _line(pdf, f"Complete: {'-' if done is None else done}%"
               f" - finish {_date(progress['finish'])}"
               f"{' (target)' if progress['finish_is_target'] else ''}"
               f" - baseline finish {_date(progress['baseline_finish'])}")

    if view.changes is not None:
        _heading(pdf, f"Since the last report ({view.changes.previous_period})")
        ch = view.changes
        if ch.nothing:
            _line(pdf, "No change in RAG, risks, issues or milestones.")
        for m in ch.rag_moves:
            _line(pdf, f"{m.kind.capitalize()} {m.label}: {(m.before or 'n/a')} -> "
                       f"{(m.after or 'n/a')}")
        for label, refs in (("New risks", ch.new_risks), ("Closed risks", ch.closed_risks),
                            ("New issues", ch.new_issues), ("Closed issues", ch.closed_issues)):
            if refs:
                _line(pdf, f"{label}: {'; '.join(refs)}")
        for s in ch.slips:
            _line(pdf, f"Milestone {s.name} slipped {s.days} days: {_date(s.before)} -> "
                       f"{_date(s.after)}")

    ms = f["milestones"]
    _heading(pdf, "Milestones")
    rows = ([("Done", m["name"], _date(m["done_on"]), _date(m["baseline"]), "")
             for m in ms["done"]]
            + [("Next", m["name"], _date(m["finish"]), _date(m["baseline"]),
                f"{m['slip_days']} d" if m.get("slip_days") else "") for m in ms["next"][:8]]
            + [("Slipped", m["name"], _date(m["finish"]), _date(m["baseline"]),
                f"{m['slip_days']} d") for m in ms["slipped"][:8]])
    if rows:
        _table(pdf, ("", "Milestone", "Date", "Baseline", "Slip"), rows, (14, 80, 28, 28, 16))
    else:
        _line(pdf, "No milestones in the plan.")
    _commentary(pdf, view, "milestones")

    _heading(pdf, "Earned value and cost")
    ev = f.get("earned_value")
    if ev:
        cur = ev["currency"]
        _line(pdf, f"Status date {_date(ev['status_date'])}: SPI {_idx(ev['spi'])}, "
                   f"SPI(t) {_idx(ev['spi_t'])}, CPI {_idx(ev['cpi'])}; BAC "
                   f"{_money(ev['bac'], cur)}, EV {_money(ev['ev'], cur)}, AC "
                   f"{_money(ev['ac'], cur)}, EAC {_money(ev['eac'], cur)}, VAC "
                   f"{_money(ev['vac'], cur)}")
        if len(view.trend) > 1:
            image = charts.png(charts.ev_trend_svg(view.trend))
            pdf.image(io.BytesIO(image), w=min(pdf.epw, 150))
    else:
        _line(pdf, "No earned value yet (no baseline with costs).")
    _commentary(pdf, view, "finance")

    _heading(pdf, "Top risks and issues")
    risks = f["risks"]["top"]
    if risks:
        _table(pdf, ("Risk", "Title", "Score", "Owner", "Status"),
               [(r["ref"], r["title"], str(r["score"] or "-"), r["owner"], r["status"])
                for r in risks], (20, 80, 14, 32, 32))
    issues = f["issues"]["top"]
    if issues:
        pdf.ln(2)
        _table(pdf, ("Issue", "Title", "Severity", "Owner", "Status"),
               [(i["ref"], i["title"], i["severity"], i["owner"], i["status"])
                for i in issues], (20, 80, 18, 30, 30))
    if not risks and not issues:
        _line(pdf, "No open risks or issues.")
    _commentary(pdf, view, "risks")

    _heading(pdf, "Decisions and changes in the period")
    for d in f["decisions"]:
        _line(pdf, f"{d['ref']} {d['title']} ({d['status']})"
                   + (f": {d['decision']}" if d.get("decision") else ""))
    for c in f["changes"]:
        _line(pdf, f"{c['ref']} {c['title']} ({c['status']})")
    if not f["decisions"] and not f["changes"]:
        _line(pdf, "None in the period.")
    _commentary(pdf, view, "decisions")

    nxt = f["next_period"]
    _heading(pdf, f"Next period: {nxt['label']}")
    if nxt["tasks"]:
        _table(pdf, ("Task", "Starts", "Finishes"),
               [(t["name"] + (" (milestone)" if t["milestone"] else ""), _date(t["start"]),
                 _date(t["finish"])) for t in nxt["tasks"]], (110, 30, 30))
    else:
        _line(pdf, "No tasks start in the next period.")
    _commentary(pdf, view, "next")
    if report.review_comment and report.status != "returned":
        _heading(pdf, "Project Office review")
        _line(pdf, report.review_comment)


def report_pdf(report: StatusReport, today: dt.date | None = None) -> bytes:
    view = report_view(report, today or timezone.localdate())
    pdf = new_pdf(f"Status report {report.project.code} - {view.period.label}")
    write_report(pdf, view)
    return bytes(pdf.output())


def _dimension_counts(views: Sequence[ReportView]) -> list[tuple[str, dict[str, int]]]:
    out = []
    for key, label in (("overall", "Overall"), *DECLARED_DIMENSIONS):
        counts: dict[str, int] = {}
        for v in views:
            rag = v.report.declared.get(key) or "none"
            counts[rag] = counts.get(rag, 0) + 1
        out.append((label, counts))
    return out


def _toc(pdf: FPDF, outline: Sequence[Any]) -> None:
    pdf.set_xy(pdf.l_margin, pdf.t_margin)
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 10, "Contents", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for entry in outline:
        link = pdf.add_link(page=entry.page_number)
        pdf.cell(pdf.epw - 20, 6, entry.name, link=link)
        pdf.cell(20, 6, str(entry.page_number), align="R", new_x="LMARGIN", new_y="NEXT")


def pack_pdf(label: str, reports: Sequence[StatusReport], today: dt.date | None = None) -> bytes:
    """All the published reports of one period: a portfolio summary page with charts, a
    table of contents, then each project's report."""
    day = today or timezone.localdate()
    views = [report_view(r, day) for r in reports]
    pdf = new_pdf(f"Portfolio pack - {label}")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    _line(pdf, f"Portfolio pack: {label}", 9)
    pdf.set_font("Helvetica", "", 10)
    _line(pdf, f"{len(views)} published status report{'s' * (len(views) != 1)}, "
               f"compiled {day:%d %b %Y}.")
    _heading(pdf, "Declared RAG by dimension")
    pdf.image(io.BytesIO(charts.png(charts.rag_spread_svg(_dimension_counts(views)))),
              w=min(pdf.epw, 150))
    _heading(pdf, "Projects")
    width = pdf.epw
    cols = (("Project", 0.34), ("Overall", 0.11), *((lab, 0.11) for _, lab in
                                                     DECLARED_DIMENSIONS))
    pdf.set_font("Helvetica", "B", 8.5)
    for name, share in cols:
        pdf.cell(width * share, 6, name, align="L" if name == "Project" else "C")
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 8.5)
    for v in views:
        project = v.figures["project"]
        name = f"{project['code']} {project['name']}"
        pdf.cell(width * 0.34, 6, latin(name if len(name) <= 38 else name[:36] + "..."))
        for key in ("overall", *(k for k, _ in DECLARED_DIMENSIONS)):
            _rag_cell(pdf, v.report.declared.get(key), width * 0.1)
            pdf.cell(width * 0.01, 6, "")
        pdf.ln(7)
    slipped = sorted(((v.figures["project"]["code"], m) for v in views
                      for m in v.figures["milestones"]["all"] if (m.get("slip_days") or 0) > 0
                      and not m.get("done_on")), key=lambda pair: -pair[1]["slip_days"])
    if slipped:
        _heading(pdf, "Milestones slipping most (open, against the baseline)")
        _table(pdf, ("Project", "Milestone", "Forecast", "Baseline", "Slip"),
               [(code, m["name"], _date(m["finish"]), _date(m["baseline"]),
                 f"{m['slip_days']} d") for code, m in slipped[:15]], (22, 78, 28, 28, 16))
    if views:
        pdf.add_page()
        pdf.insert_toc_placeholder(_toc, pages=max(1, (len(views) + 39) // 40))
    for n, v in enumerate(views):
        pdf.footer_text = (f"Portfolio pack - {label} - {v.figures['project']['code']}")
        # The table of contents' placeholder leaves the pack on a fresh page.
        write_report(pdf, v, section=True, new_page=n > 0)
    return bytes(pdf.output())
